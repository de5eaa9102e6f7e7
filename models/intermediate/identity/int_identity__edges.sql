with

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where not is_blocked

),

record_anchors as (

    select
        source_name,
        source_record_id,
        identifier_type,
        identifier_value,
        node
    from identifiers
    where is_record_anchor

),

-- A record is a star around its anchor. Linking every pair of a record
-- would join the same identifiers, but would also let a shared phone on
-- twelve CRM contacts link straight to twelve emails, where the limit
-- rule (int_identity__edges_ruled) only sees the contact ids.
record_links as (

    select
        identifiers.source_name,
        record_anchors.identifier_type as anchor_type,
        record_anchors.identifier_value as anchor_value,
        record_anchors.node as anchor_node,
        identifiers.identifier_type as member_type,
        identifiers.identifier_value as member_value,
        identifiers.node as member_node,
        identifiers.first_seen_at,
        identifiers.last_seen_at
    from identifiers
    inner join record_anchors
        on
            identifiers.source_name = record_anchors.source_name
            and identifiers.source_record_id = record_anchors.source_record_id
    where not identifiers.is_record_anchor

),

-- Edges are undirected: the smaller node (byte order) is always node_a.
compared as (

    select
        *,
        {{ binary_collation('anchor_node') }}
        < {{ binary_collation('member_node') }} as is_anchor_smaller
    from record_links

),

oriented as (

    select
        source_name,
        first_seen_at,
        last_seen_at,
        case when is_anchor_smaller then anchor_node
            else member_node
        end as node_a,
        case when is_anchor_smaller then anchor_type
            else member_type
        end as identifier_type_a,
        case when is_anchor_smaller then anchor_value
            else member_value
        end as identifier_value_a,
        case when is_anchor_smaller then member_node
            else anchor_node
        end as node_b,
        case when is_anchor_smaller then member_type
            else anchor_type
        end as identifier_type_b,
        case when is_anchor_smaller then member_value
            else anchor_value
        end as identifier_value_b
    from compared

),

edge_sources as (

    select distinct
        node_a,
        node_b,
        source_name
    from oriented

),

source_lists as (

    select
        node_a,
        node_b,
        {{ dbt.listagg('source_name', "','", 'order by source_name') }}
            as sources
    from edge_sources
    group by node_a, node_b

),

aggregated as (

    select
        node_a,
        node_b,
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as record_count
    from oriented
    group by
        node_a,
        node_b,
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b

),

final as (

    select
        {{ dbt.hash(dbt.concat(['aggregated.node_a', "'|'",
                                'aggregated.node_b'])) }} as edge_id,
        aggregated.node_a,
        aggregated.node_b,
        aggregated.identifier_type_a,
        aggregated.identifier_value_a,
        aggregated.identifier_type_b,
        aggregated.identifier_value_b,
        source_lists.sources,
        aggregated.first_seen_at,
        aggregated.last_seen_at,
        cast(aggregated.record_count as {{ dbt.type_bigint() }})
            as record_count
    from aggregated
    inner join source_lists
        on
            aggregated.node_a = source_lists.node_a
            and aggregated.node_b = source_lists.node_b

)

select * from final
