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

registry_changes as (

    select * from {{ ref('int_identity__registry_changes') }}
    where change_kind = 'split'

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

    select registry_changes.*
    from registry_changes
    left join recorded
        on
            registry_changes.previous_profile_id
            = recorded.original_profile_id
            and registry_changes.profile_id = recorded.new_profile_id
    where recorded.new_profile_id is null

),

final as (

    select
        cast(previous_profile_id as {{ dbt.type_string() }})
            as original_profile_id,
        cast(profile_id as {{ dbt.type_string() }}) as new_profile_id,
        cast(changed_at as {{ dbt.type_timestamp() }}) as split_at,
        cast(changed_invocation_id as {{ dbt.type_string() }})
            as invocation_id,
        cast(identifier_count as {{ dbt.type_bigint() }})
            as identifier_count
    from not_yet_recorded

)

select * from final
