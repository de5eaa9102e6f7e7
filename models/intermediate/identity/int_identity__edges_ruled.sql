with

edges as (

    select * from {{ ref('int_identity__edges') }}

),

link_overrides as (

    select * from {{ ref('identity_link_overrides') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

usable_nodes as (

    select distinct node from {{ ref('int_identity__identifiers') }}
    where not is_blocked

),

override_nodes as (

    select
        action,
        reason,
        identifier_type_a as type_1,
        identifier_value_a as value_1,
        identifier_type_b as type_2,
        identifier_value_b as value_2,
        {{ identity_node('identifier_type_a', 'identifier_value_a') }}
            as node_1,
        {{ identity_node('identifier_type_b', 'identifier_value_b') }}
            as node_2
    from link_overrides

),

override_order as (

    select
        *,
        {{ binary_collation('node_1') }}
        < {{ binary_collation('node_2') }} as is_first_smaller
    from override_nodes

),

-- Overrides name their pair in any order; edges keep the smaller node as
-- node_a.
overrides as (

    select
        action,
        reason,
        case when is_first_smaller then node_1 else node_2 end as node_a,
        case when is_first_smaller then type_1 else type_2 end
            as identifier_type_a,
        case when is_first_smaller then value_1 else value_2 end
            as identifier_value_a,
        case when is_first_smaller then node_2 else node_1 end as node_b,
        case when is_first_smaller then type_2 else type_1 end
            as identifier_type_b,
        case when is_first_smaller then value_2 else value_1 end
            as identifier_value_b
    from override_order

),

do_not_link as (

    select * from overrides
    where action = 'do_not_link'

),

force_link as (

    select * from overrides
    where action = 'force_link'

),

-- Rule 1: a do-not-link pair loses its direct edge.
unlinked as (

    select
        edges.*,
        do_not_link.reason as do_not_link_reason
    from edges
    left join do_not_link
        on
            edges.node_a = do_not_link.node_a
            and edges.node_b = do_not_link.node_b

),

-- Rule 2, per-type limits, on the edges left (a forced edge is never
-- counted or cut). Each edge is looked at from both ends: the end that
-- links to more distinct identifiers of the other end's type than that
-- type's max_per_profile is shared, and keeps only its max_per_profile
-- earliest-seen edges to that type (ties broken by the neighbour's value,
-- byte order); the rest are cut.
edge_ends as (

    select
        edge_id,
        node_a as shared_node,
        identifier_type_b as neighbor_type,
        identifier_value_b as neighbor_value,
        first_seen_at
    from unlinked
    where do_not_link_reason is null
    union all
    select
        edge_id,
        node_b as shared_node,
        identifier_type_a as neighbor_type,
        identifier_value_a as neighbor_value,
        first_seen_at
    from unlinked
    where do_not_link_reason is null

),

ranked_ends as (

    select
        edge_ends.edge_id,
        edge_ends.shared_node,
        edge_ends.neighbor_type,
        identifier_types.max_per_profile,
        count(*) over (
            partition by edge_ends.shared_node, edge_ends.neighbor_type
        ) as neighbor_count,
        row_number() over (
            partition by edge_ends.shared_node, edge_ends.neighbor_type
            order by
                edge_ends.first_seen_at,
                {{ binary_collation('edge_ends.neighbor_value') }}
        ) as neighbor_rank
    from edge_ends
    inner join identifier_types
        on edge_ends.neighbor_type = identifier_types.identifier_type
    where identifier_types.max_per_profile is not null

),

-- An edge cut from both ends is recorded once, against the end with more
-- neighbours of the limited type (then the smaller node).
limit_cuts as (

    select
        edge_id,
        shared_node,
        neighbor_type,
        max_per_profile,
        neighbor_count,
        row_number() over (
            partition by edge_id
            order by
                neighbor_count desc,
                {{ binary_collation('shared_node') }} asc
        ) as cut_rank
    from ranked_ends
    where neighbor_rank > max_per_profile

),

observed_ruled as (

    select
        unlinked.edge_id,
        unlinked.node_a,
        unlinked.node_b,
        unlinked.identifier_type_a,
        unlinked.identifier_value_a,
        unlinked.identifier_type_b,
        unlinked.identifier_value_b,
        unlinked.sources,
        unlinked.first_seen_at,
        unlinked.last_seen_at,
        unlinked.record_count,
        case
            when force_link.node_a is not null then 'force_link'
            when unlinked.do_not_link_reason is not null then 'do_not_link'
            when limit_cuts.edge_id is not null then 'max_per_profile'
        end as rule_name,
        case
            when force_link.node_a is not null then force_link.reason
            when unlinked.do_not_link_reason is not null
                then unlinked.do_not_link_reason
            when limit_cuts.edge_id is not null
                then {{ dbt.concat([
                    'limit_cuts.shared_node', "' links to '",
                    'cast(limit_cuts.neighbor_count as '
                        ~ dbt.type_string() ~ ')',
                    "' identifiers of type '", 'limit_cuts.neighbor_type',
                    "', more than its max_per_profile of '",
                    'cast(limit_cuts.max_per_profile as '
                        ~ dbt.type_string() ~ ')',
                    "': only the earliest seen are kept'",
                ]) }}
        end as rule_detail,
        limit_cuts.shared_node as limit_shared_node
    from unlinked
    left join limit_cuts
        on
            unlinked.edge_id = limit_cuts.edge_id
            and limit_cuts.cut_rank = 1
    left join force_link
        on
            unlinked.node_a = force_link.node_a
            and unlinked.node_b = force_link.node_b

),

-- Rule 3: a force-link pair is linked even when no record shows it, as
-- long as both identifiers are observed and not blocked.
forced_only as (

    select
        {{ dbt.hash(dbt.concat(['force_link.node_a', "'|'",
                                'force_link.node_b'])) }} as edge_id,
        force_link.node_a,
        force_link.node_b,
        force_link.identifier_type_a,
        force_link.identifier_value_a,
        force_link.identifier_type_b,
        force_link.identifier_value_b,
        cast(null as {{ dbt.type_string() }}) as sources,
        cast(null as {{ dbt.type_timestamp() }}) as first_seen_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_seen_at,
        cast(0 as {{ dbt.type_bigint() }}) as record_count,
        'force_link' as rule_name,
        force_link.reason as rule_detail,
        cast(null as {{ dbt.type_string() }}) as limit_shared_node
    from force_link
    inner join usable_nodes as usable_nodes_a
        on force_link.node_a = usable_nodes_a.node
    inner join usable_nodes as usable_nodes_b
        on force_link.node_b = usable_nodes_b.node
    left join edges
        on
            force_link.node_a = edges.node_a
            and force_link.node_b = edges.node_b
    where edges.edge_id is null

),

final as (

    select
        *,
        coalesce(rule_name, 'observed') in ('observed', 'force_link')
            as is_linked
    from observed_ruled
    union all
    select
        *,
        true as is_linked
    from forced_only

)

select * from final
