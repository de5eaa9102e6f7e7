{#- A log of what happened: rebuilding it would lose the past runs. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

with

registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

-- The run that last changed the registry: this one when it changed
-- anything, else an earlier one whose rows are logged already (and
-- dropped by not_yet_recorded).
latest_change as (

    select max(changed_at) as changed_at
    from registry

),

this_run as (

    select registry.*
    from registry
    inner join latest_change
        on registry.changed_at = latest_change.changed_at
    where registry.change_kind = 'split'

),

splits as (

    select
        previous_profile_id as original_profile_id,
        profile_id as new_profile_id,
        changed_at as split_at,
        changed_invocation_id as invocation_id,
        count(*) as identifier_count
    from this_run
    group by
        previous_profile_id,
        profile_id,
        changed_at,
        changed_invocation_id

),

recorded as (

    {% if is_incremental() %}
        select
            original_profile_id,
            new_profile_id
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as original_profile_id,
            cast(null as {{ dbt.type_string() }}) as new_profile_id
        where 1 = 0
    {% endif %}

),

-- A split is logged once, whatever reruns follow.
not_yet_recorded as (

    select splits.*
    from splits
    left join recorded
        on
            splits.original_profile_id = recorded.original_profile_id
            and splits.new_profile_id = recorded.new_profile_id
    where recorded.new_profile_id is null

),

final as (

    select
        cast(original_profile_id as {{ dbt.type_string() }})
            as original_profile_id,
        cast(new_profile_id as {{ dbt.type_string() }}) as new_profile_id,
        cast(split_at as {{ dbt.type_timestamp() }}) as split_at,
        cast(invocation_id as {{ dbt.type_string() }}) as invocation_id,
        cast(identifier_count as {{ dbt.type_bigint() }})
            as identifier_count
    from not_yet_recorded

)

select * from final
