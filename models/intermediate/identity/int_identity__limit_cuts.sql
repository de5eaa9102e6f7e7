with

limit_splits as (

    select * from {{ ref('int_identity__limit_splits') }}

),

kept_edges as (

    select * from {{ ref('int_identity__edges_ruled') }}
    where is_linked

),

-- A kept link whose two ends shared a piece before a split pass and went
-- to different seeds in it; once apart they never meet again, so each
-- link is cut by one pass at most.
cut_edges as (

    select
        kept_edges.*,
        splits_a.split_pass,
        splits_a.split_rule,
        splits_a.split_identifier_type,
        splits_a.piece_before,
        splits_a.seed_count,
        splits_a.seed_node as seed_node_a,
        splits_b.seed_node as seed_node_b
    from kept_edges
    inner join limit_splits as splits_a
        on kept_edges.node_a = splits_a.node
    inner join limit_splits as splits_b
        on
            kept_edges.node_b = splits_b.node
            and splits_a.split_pass = splits_b.split_pass
    where
        splits_a.piece_before = splits_b.piece_before
        and splits_a.seed_node <> splits_b.seed_node

),

final as (

    select
        edge_id,
        node_a,
        node_b,
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        sources,
        first_seen_at,
        last_seen_at,
        record_count,
        split_rule as rule_name,
        case
            when split_rule = 'do_not_link_chain'
                then {{ dbt.concat([
                    "'do_not_link|'", 'seed_node_a', "'|'", 'seed_node_b',
                ]) }}
            else split_identifier_type
        end as rule_key,
        case
            when split_rule = 'do_not_link_chain'
                then {{ dbt.concat([
                    'piece_before',
                    "' joined both ends of a do-not-link pair through a"
                    ~ " chain of links: every identifier went to the"
                    ~ " nearest pair end by hops; this link joined the"
                    ~ " share of '",
                    'seed_node_a', "' to that of '", 'seed_node_b', "''",
                ]) }}
            else {{ dbt.concat([
                'piece_before', "' held '",
                'cast(seed_count as ' ~ dbt.type_string() ~ ')',
                "' identifiers of type '", 'split_identifier_type',
                "' (max_per_profile 1) through chains of links: every"
                ~ " identifier went to the nearest of them by hops; this"
                ~ " link joined the share of '",
                'seed_node_a', "' to that of '", 'seed_node_b', "''",
            ]) }}
        end as rule_detail,
        split_pass,
        piece_before as component_id,
        seed_node_a,
        seed_node_b
    from cut_edges

)

select * from final
