with

registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

linked_edges as (

    select * from {{ ref('int_identity__edges_ruled') }}
    where is_linked

),

-- The run that last changed the registry: this one when it changed
-- anything, else an earlier one (whose changes the logs hold already).
latest_change as (

    select max(changed_at) as changed_at
    from registry

),

-- Every identifier with the profile it carried before that run.
nodes as (

    select
        registry.node,
        registry.profile_id,
        registry.change_kind,
        registry.changed_at,
        registry.changed_invocation_id,
        latest_change.changed_at is not null as is_latest_change,
        case
            when latest_change.changed_at is not null
                then registry.previous_profile_id
            else registry.profile_id
        end as prior_profile_id
    from registry
    left join latest_change
        on registry.changed_at = latest_change.changed_at

),

latest_rows as (

    select * from nodes
    where is_latest_change and change_kind in ('merged', 'split')

),

changes as (

    select
        change_kind,
        prior_profile_id as previous_profile_id,
        profile_id,
        changed_at,
        changed_invocation_id,
        count(*) as identifier_count
    from latest_rows
    group by
        change_kind,
        prior_profile_id,
        profile_id,
        changed_at,
        changed_invocation_id

),

-- Each linked edge from both ends: the end that belonged to an absorbed
-- profile and its partner.
edge_ends as (

    select
        edge_id,
        node_a as node,
        node_b as partner_node,
        node_a,
        node_b,
        sources,
        first_seen_at,
        rule_name,
        rule_detail
    from linked_edges
    union all
    select
        edge_id,
        node_b as node,
        node_a as partner_node,
        node_a,
        node_b,
        sources,
        first_seen_at,
        rule_name,
        rule_detail
    from linked_edges

),

-- An edge caused a merge when it leads from an identifier of the absorbed
-- profile to one that was not in that profile and now carries the
-- survivor: no such edge linked them before, or they would have shared
-- a profile already.
merge_edges as (

    select
        absorbed.prior_profile_id as previous_profile_id,
        absorbed.profile_id,
        edge_ends.node_a,
        edge_ends.node_b,
        edge_ends.sources,
        edge_ends.first_seen_at,
        coalesce(edge_ends.rule_name, 'observed') as rule_name,
        edge_ends.rule_detail,
        case
            when partners.prior_profile_id = absorbed.profile_id then 1
            else 0
        end as reaches_survivor
    from latest_rows as absorbed
    inner join edge_ends
        on absorbed.node = edge_ends.node
    inner join nodes as partners
        on edge_ends.partner_node = partners.node
    where
        absorbed.change_kind = 'merged'
        and partners.profile_id = absorbed.profile_id
        and (
            partners.prior_profile_id is null
            or partners.prior_profile_id <> absorbed.prior_profile_id
        )

),

-- Cause rule: an edge straight to an identifier of the survivor first,
-- then a force-link (no first sighting) before observed edges, then the
-- earliest seen, then the pair in byte order.
ranked_merge_edges as (

    select
        *,
        row_number() over (
            partition by previous_profile_id, profile_id
            order by
                reaches_survivor desc,
                case when first_seen_at is null then 0 else 1 end,
                first_seen_at,
                {{ binary_collation('node_a') }},
                {{ binary_collation('node_b') }}
        ) as cause_rank
    from merge_edges

),

final as (

    select
        changes.change_kind,
        changes.previous_profile_id,
        changes.profile_id,
        changes.changed_at,
        changes.changed_invocation_id,
        cast(changes.identifier_count as {{ dbt.type_bigint() }})
            as identifier_count,
        ranked_merge_edges.node_a as cause_node_a,
        ranked_merge_edges.node_b as cause_node_b,
        ranked_merge_edges.sources as cause_sources,
        ranked_merge_edges.rule_name as cause_rule_name,
        ranked_merge_edges.rule_detail as cause_rule_detail
    from changes
    left join ranked_merge_edges
        on
            changes.previous_profile_id
            = ranked_merge_edges.previous_profile_id
            and changes.profile_id = ranked_merge_edges.profile_id
            and ranked_merge_edges.cause_rank = 1

)

select * from final
