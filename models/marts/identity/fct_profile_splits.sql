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

this_run as (

    select * from registry
    where
        changed_invocation_id = '{{ invocation_id }}'
        and change_kind = 'split'

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

-- A repeated run must not log its splits twice.
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
