with

graph_components as (

    select * from {{ ref('int_identity__components') }}

),

limit_splits as (

    select * from {{ ref('int_identity__limit_splits') }}
    where is_last_split

),

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where not is_blocked

),

-- A component that breaks a rule through a chain is replaced by its
-- pieces (int_identity__limit_splits).
components as (

    select
        graph_components.node,
        coalesce(
            limit_splits.profile_component_id, graph_components.component_id
        ) as component_id
    from graph_components
    left join limit_splits
        on graph_components.node = limit_splits.node

),

node_sources as (

    select distinct
        node,
        source_name
    from identifiers

),

source_lists as (

    select
        node,
        {{ dbt.listagg('source_name', "','", 'order by source_name') }}
            as sources
    from node_sources
    group by node

),

nodes as (

    select
        node,
        identifier_type,
        identifier_value,
        identifier_priority,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from identifiers
    group by
        node,
        identifier_type,
        identifier_value,
        identifier_priority

),

-- The anchor of a cluster names it when it first gets a profile id: the
-- strongest type, then the earliest seen, then the smallest value.
ranked as (

    select
        nodes.*,
        components.component_id,
        row_number() over (
            partition by components.component_id
            order by
                nodes.identifier_priority,
                nodes.first_seen_at,
                {{ binary_collation('nodes.identifier_value') }}
        ) as anchor_rank
    from nodes
    inner join components
        on nodes.node = components.node

),

anchors as (

    select
        component_id,
        node as anchor_node
    from ranked
    where anchor_rank = 1

),

final as (

    select
        ranked.node,
        ranked.identifier_type,
        ranked.identifier_value,
        ranked.identifier_priority,
        ranked.first_seen_at,
        ranked.last_seen_at,
        source_lists.sources,
        ranked.component_id,
        anchors.anchor_node,
        ranked.anchor_rank = 1 as is_cluster_anchor
    from ranked
    inner join anchors
        on ranked.component_id = anchors.component_id
    inner join source_lists
        on ranked.node = source_lists.node

)

select * from final
