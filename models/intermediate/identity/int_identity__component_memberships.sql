{#- Holds every node's component between runs, so that a run reclusters
    only the nodes int_identity__clustering_scope names. A full refresh
    rebuilds it from a full clustering. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='node',
        on_schema_change='fail',
    )
}}

with

scope as (

    select * from {{ ref('int_identity__clustering_scope') }}

),

computed as (

    select
        node,
        component_id
    from {{ ref_components('int_identity__components') }}

),

previous_memberships as (

    {% if is_incremental() %}
        select
            node,
            component_id,
            is_current
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as node,
            cast(null as {{ dbt.type_string() }}) as component_id,
            cast(null as {{ dbt.type_boolean() }}) as is_current
        where 1 = 0
    {% endif %}

),

run_mode as (

    select
        max(rules_hash) as rules_hash,
        max(
            case when is_full_recompute then 1 else 0 end
        ) = 1 as is_full_recompute
    from scope

),

-- A node whose component did not change keeps its row, except in a full
-- recompute, which stamps every row with the rules it used.
reclustered as (

    select
        computed.node,
        computed.component_id,
        true as is_current
    from computed
    left join previous_memberships
        on computed.node = previous_memberships.node
    cross join run_mode
    where
        run_mode.is_full_recompute
        or previous_memberships.node is null
        or not previous_memberships.is_current
        or previous_memberships.component_id <> computed.component_id

),

-- Nodes of the scope that no longer have a link (gone from the sources)
-- keep their last component, no longer current.
gone as (

    select
        previous_memberships.node,
        previous_memberships.component_id,
        false as is_current
    from scope
    inner join previous_memberships
        on scope.node = previous_memberships.node
    left join computed
        on scope.node = computed.node
    where
        previous_memberships.is_current
        and computed.node is null

),

changed as (

    select * from reclustered
    union all
    select * from gone

),

final as (

    select
        changed.node,
        changed.component_id,
        changed.is_current,
        run_mode.rules_hash,
        {{ identity_run_started_at() }} as clustered_at,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }})
            as clustered_invocation_id
    from changed
    cross join run_mode

)

select * from final
