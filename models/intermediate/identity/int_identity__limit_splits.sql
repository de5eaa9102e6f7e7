{#- Splits the components that break a rule through a chain of links.
    Pass 0 handles do-not-link pairs, pass k (1..type_slots) the k-th type
    with max_per_profile 1 (by priority, then name). A pass looks at each
    piece left by the pass before (at first the components): when the
    piece holds both ends of a do-not-link pair (pass 0) or two or more
    identifiers of the pass's type, those identifiers become seeds and
    every node of the piece goes to its nearest seed by hops over the kept
    links (multi-source breadth-first search), ties to the seed of the
    strongest type, then the earliest seen, then the smallest node in byte
    order. A territory is connected (each node took its seed from a
    neighbour that holds it) and holds one seed, so the links between
    territories are the cuts (int_identity__limit_cuts). The search runs
    max_hops rounds, unrolled; a node still unreached after them fails the
    build with a message naming it and the var to raise. -#}
{%- set max_hops = var('cdp_identity_split_max_hops', 24) | int -%}
{%- set type_slots = var('cdp_identity_split_type_passes', 5) | int -%}

with

components as (

    select * from {{ ref('int_identity__components') }}

),

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where not is_blocked

),

kept_edges as (

    select * from {{ ref('int_identity__edges_ruled') }}
    where is_linked

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

link_overrides as (

    select * from {{ ref('identity_link_overrides') }}
    where action = 'do_not_link'

),

nodes as (

    select
        node,
        identifier_type,
        identifier_priority,
        min(first_seen_at) as first_seen_at
    from identifiers
    group by
        node,
        identifier_type,
        identifier_priority

),

-- Pass k splits by the k-th type allowed once per profile.
limited_types as (

    select
        identifier_type,
        row_number() over (
            order by priority, {{ binary_collation('identifier_type') }}
        ) as type_pass
    from identifier_types
    where max_per_profile = 1

),

-- More limited types than passes is a configuration this model cannot
-- honour: the check fails the build (a text that is no number).
type_slot_check as (

    select
        cast(
            case
                when max(type_pass) > {{ type_slots }}
                    then {{ dbt.concat([
                        "'seeds/identity/identity_identifier_types.csv"
                        ~ " has '",
                        'cast(max(type_pass) as ' ~ dbt.type_string() ~ ')',
                        "' types with max_per_profile 1; "
                        ~ "int_identity__limit_splits splits by at most "
                        ~ type_slots ~ ": raise var cdp_identity_split_type_passes'",
                    ]) }}
                else '0'
            end as {{ dbt.type_bigint() }}
        ) as check_value
    from limited_types

),

do_not_link_pairs as (

    select
        {{ identity_node('identifier_type_a', 'identifier_value_a') }}
            as node_1,
        {{ identity_node('identifier_type_b', 'identifier_value_b') }}
            as node_2
    from link_overrides

),

component_nodes as (

    select
        components.node,
        components.component_id,
        nodes.identifier_type,
        nodes.identifier_priority,
        nodes.first_seen_at,
        limited_types.type_pass
    from components
    inner join nodes
        on components.node = nodes.node
    left join limited_types
        on nodes.identifier_type = limited_types.identifier_type

),

over_limit_components as (

    select component_id
    from component_nodes
    where type_pass is not null
    group by component_id, type_pass
    having count(*) > 1

),

unlinked_pair_components as (

    select nodes_1.component_id
    from do_not_link_pairs
    inner join component_nodes as nodes_1
        on do_not_link_pairs.node_1 = nodes_1.node
    inner join component_nodes as nodes_2
        on do_not_link_pairs.node_2 = nodes_2.node
    where nodes_1.component_id = nodes_2.component_id

),

split_components as (

    select component_id from over_limit_components
    union
    select component_id from unlinked_pair_components

),

-- Only the components that break a rule are searched: few, and all of
-- them at every run, whatever the incremental clustering touched.
candidates as (

    select component_nodes.*
    from component_nodes
    inner join split_components
        on component_nodes.component_id = split_components.component_id

),

-- Kept links of the candidates, in both directions.
candidate_steps as (

    select
        kept_edges.node_a as from_node,
        kept_edges.node_b as to_node
    from kept_edges
    inner join candidates
        on kept_edges.node_a = candidates.node
    union all
    select
        kept_edges.node_b as from_node,
        kept_edges.node_a as to_node
    from kept_edges
    inner join candidates
        on kept_edges.node_b = candidates.node

),

pieces_0 as (

    select
        node,
        component_id as piece
    from candidates

),

{% for pass in range(0, type_slots + 1) %}
    {%- set p = pass | string -%}

    {%- if pass == 0 %}
        -- Pass 0: both ends of every do-not-link pair sharing a piece are
        -- seeds.
        seed_nodes_0 as (

            select
                pieces_1.piece,
                pieces_1.node
            from do_not_link_pairs
            inner join pieces_0 as pieces_1
                on do_not_link_pairs.node_1 = pieces_1.node
            inner join pieces_0 as pieces_2
                on do_not_link_pairs.node_2 = pieces_2.node
            where pieces_1.piece = pieces_2.piece
            union
            select
                pieces_2.piece,
                pieces_2.node
            from do_not_link_pairs
            inner join pieces_0 as pieces_1
                on do_not_link_pairs.node_1 = pieces_1.node
            inner join pieces_0 as pieces_2
                on do_not_link_pairs.node_2 = pieces_2.node
            where pieces_1.piece = pieces_2.piece

        ),
    {%- else %}
        -- Pass {{ p }}: the identifiers of the pass's type in a piece
        -- holding two or more of them are seeds.
        typed_nodes_{{ p }} as (

            select
                pieces_{{ p }}.piece,
                pieces_{{ p }}.node
            from pieces_{{ p }}
            inner join candidates
                on pieces_{{ p }}.node = candidates.node
            where candidates.type_pass = {{ pass }}

        ),

        seed_nodes_{{ p }} as (

            select typed_nodes_{{ p }}.*
            from typed_nodes_{{ p }}
            where typed_nodes_{{ p }}.piece in (
                    select piece
                    from typed_nodes_{{ p }}
                    group by piece
                    having count(*) > 1
                )

        ),
    {%- endif %}

    seeds_{{ p }} as (

        select
            seed_nodes_{{ p }}.piece,
            seed_nodes_{{ p }}.node as seed_node,
            candidates.identifier_type as seed_type,
            row_number() over (
                partition by seed_nodes_{{ p }}.piece
                order by
                    candidates.identifier_priority,
                    candidates.first_seen_at,
                    {{ binary_collation('seed_nodes_' ~ p ~ '.node') }}
            ) as seed_rank,
            count(*) over (partition by seed_nodes_{{ p }}.piece) as seed_count
        from seed_nodes_{{ p }}
        inner join candidates
            on seed_nodes_{{ p }}.node = candidates.node

    ),

    members_{{ p }} as (

        select
            pieces_{{ p }}.node,
            pieces_{{ p }}.piece
        from pieces_{{ p }}
        where pieces_{{ p }}.piece in (select piece from seeds_{{ p }})

    ),

    steps_{{ p }} as (

        select
            candidate_steps.from_node,
            candidate_steps.to_node
        from candidate_steps
        inner join members_{{ p }} as members_from
            on candidate_steps.from_node = members_from.node
        inner join members_{{ p }} as members_to
            on candidate_steps.to_node = members_to.node
        where members_from.piece = members_to.piece

    ),

    -- Ring r: the nodes r hops from their nearest seed, each with the
    -- seed of the strongest rank among its neighbours in ring r - 1. A
    -- neighbour of ring r - 1 lies in ring r - 2, r - 1 or r, so leaving
    -- out the first two leaves ring r: each round reads one ring, not
    -- everything reached so far.
    ring_{{ p }}_0 as (

        select
            seed_node as node,
            seed_node,
            seed_rank,
            0 as hops
        from seeds_{{ p }}

    ),

    {%- for round in range(1, max_hops + 1) %}
{%- set r = round | string %}
{%- set outer = 'ring_' ~ p ~ '_' ~ (round - 1) %}
{%- set inner = 'ring_' ~ p ~ '_' ~ (round - 2) %}

offers_{{ p }}_{{ r }} as (

    select
        steps_{{ p }}.to_node as node,
        {{ outer }}.seed_node,
        {{ outer }}.seed_rank,
        row_number() over (
            partition by steps_{{ p }}.to_node
            order by {{ outer }}.seed_rank
        ) as offer_rank
    from {{ outer }}
    inner join steps_{{ p }}
        on {{ outer }}.node = steps_{{ p }}.from_node
    left join {{ outer }} as same_ring
        on steps_{{ p }}.to_node = same_ring.node
    {%- if round > 1 %}
    left join {{ inner }} as inner_ring
        on steps_{{ p }}.to_node = inner_ring.node
    {%- endif %}
    where
        same_ring.node is null
        {%- if round > 1 %}
        and inner_ring.node is null
        {%- endif %}

),

ring_{{ p }}_{{ r }} as {{ identity_materialized_cte() }} (

    select
        node,
        seed_node,
        seed_rank,
        {{ round }} as hops
    from offers_{{ p }}_{{ r }}
    where offer_rank = 1

),
{%- endfor %}

    reach_{{ p }} as (

        {% for round in range(0, max_hops + 1) -%}
            {% if not loop.first %}union all{% endif %}
            select * from ring_{{ p }}_{{ round }}
        {% endfor %}

    ),

    split_{{ p }} as (

        select
            members_{{ p }}.node,
            {{ pass }} as split_pass,
            {% if pass == 0 -%}
                'do_not_link_chain' as split_rule,
                cast(null as {{ dbt.type_string() }}) as split_identifier_type,
            {%- else -%}
            'max_per_profile_chain' as split_rule,
            seeds_{{ p }}.seed_type as split_identifier_type,
        {%- endif %}
            members_{{ p }}.piece as piece_before,
            reach_{{ p }}.seed_node,
            case
                when reach_{{ p }}.node is null
                    then cast({{ dbt.concat([
                    "'int_identity__limit_splits: node '",
                    'members_' ~ p ~ '.node',
                    "' is more than " ~ max_hops ~ " hops from every"
                    ~ " seed of its piece; raise var"
                    ~ " cdp_identity_split_max_hops'",
                ]) }} as {{ dbt.type_bigint() }})
                else reach_{{ p }}.hops
            end as seed_hops,
            seeds_{{ p }}.seed_count
        from members_{{ p }}
        left join reach_{{ p }}
            on members_{{ p }}.node = reach_{{ p }}.node
        left join seeds_{{ p }}
            on reach_{{ p }}.seed_node = seeds_{{ p }}.seed_node

    ),

    pieces_{{ pass + 1 }} as (

        select
            pieces_{{ p }}.node,
            coalesce(split_{{ p }}.seed_node, pieces_{{ p }}.piece) as piece
        from pieces_{{ p }}
        left join split_{{ p }}
            on pieces_{{ p }}.node = split_{{ p }}.node

    ),
{% endfor %}

splits as (

    {% for pass in range(0, type_slots + 1) -%}
        {% if not loop.first %}union all{% endif %}
        select * from split_{{ pass }}
    {% endfor %}

),

-- A piece is named, like a component, by its smallest node.
profile_components as (

    select
        pieces_{{ type_slots + 1 }}.node,
        first_value(pieces_{{ type_slots + 1 }}.node) over (
            partition by pieces_{{ type_slots + 1 }}.piece
            order by {{ binary_collation(
                'pieces_' ~ (type_slots + 1) ~ '.node') }}
        ) as profile_component_id
    from pieces_{{ type_slots + 1 }}

),

final as (

    select
        splits.node,
        candidates.component_id,
        cast(splits.split_pass as {{ dbt.type_int() }}) as split_pass,
        splits.split_rule,
        splits.split_identifier_type,
        splits.piece_before,
        splits.seed_node,
        cast(splits.seed_hops as {{ dbt.type_int() }}) as seed_hops,
        cast(splits.seed_count as {{ dbt.type_int() }}) as seed_count,
        row_number() over (
            partition by splits.node order by splits.split_pass desc
        ) = 1 as is_last_split,
        profile_components.profile_component_id
    from splits
    inner join candidates
        on splits.node = candidates.node
    inner join profile_components
        on splits.node = profile_components.node
    cross join type_slot_check
    where type_slot_check.check_value = 0

)

select * from final
