{#- A log of what happened: rebuilding it would lose the past runs. A
    log older than a new column gets the column, empty on its old rows. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='append_new_columns',
    )
}}

with

registry_changes as (

    select * from {{ ref('int_identity__registry_changes') }}
    where change_kind = 'merged'

),

recorded as (

    {% if is_incremental() %}
        select absorbed_profile_id
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as absorbed_profile_id
        where 1 = 0
    {% endif %}

),

-- A merge is logged once, whatever reruns follow.
not_yet_recorded as (

    select registry_changes.*
    from registry_changes
    left join recorded
        on registry_changes.previous_profile_id = recorded.absorbed_profile_id
    where recorded.absorbed_profile_id is null

),

final as (

    select
        cast(previous_profile_id as {{ dbt.type_string() }})
            as absorbed_profile_id,
        cast(profile_id as {{ dbt.type_string() }})
            as surviving_profile_id,
        cast(changed_at as {{ dbt.type_timestamp() }}) as merged_at,
        cast(changed_invocation_id as {{ dbt.type_string() }})
            as invocation_id,
        cast(identifier_count as {{ dbt.type_bigint() }})
            as identifier_count,
        cast(cause_node_a as {{ dbt.type_string() }}) as cause_node_a,
        cast(cause_node_b as {{ dbt.type_string() }}) as cause_node_b,
        cast(cause_sources as {{ dbt.type_string() }}) as cause_sources,
        cast(cause_rule_name as {{ dbt.type_string() }}) as cause_rule_name,
        cast(cause_rule_detail as {{ dbt.type_string() }})
            as cause_rule_detail
    from not_yet_recorded

)

select * from final
