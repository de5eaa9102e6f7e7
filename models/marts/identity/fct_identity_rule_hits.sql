with

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where is_blocked

),

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

edges as (

    select * from {{ ref('int_identity__edges_ruled') }}
    where rule_name is not null

),

limit_cuts as (

    select * from {{ ref('int_identity__limit_cuts') }}

),

blocked_sources as (

    select distinct
        node,
        source_name
    from identifiers

),

blocked_source_lists as (

    select
        node,
        {{ dbt.listagg('source_name', "','", 'order by source_name') }}
            as sources
    from blocked_sources
    group by node

),

blocks as (

    select
        node,
        identifier_type,
        identifier_value,
        blocked_rule_identifier_type,
        blocked_rule_match_type,
        blocked_rule_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as record_count
    from identifiers
    group by
        node,
        identifier_type,
        identifier_value,
        blocked_rule_identifier_type,
        blocked_rule_match_type,
        blocked_rule_value

),

block_hits as (

    select
        'blocked_value' as rule_name,
        'seeds/identity/identity_blocked_values.csv' as rule_file,
        {{ dbt.concat([
            'blocks.blocked_rule_identifier_type', "'|'",
            'blocks.blocked_rule_match_type', "'|'",
            'blocks.blocked_rule_value',
        ]) }} as rule_key,
        blocks.identifier_type as identifier_type_a,
        blocks.identifier_value as identifier_value_a,
        cast(null as {{ dbt.type_string() }}) as identifier_type_b,
        cast(null as {{ dbt.type_string() }}) as identifier_value_b,
        blocks.node as node_a,
        cast(null as {{ dbt.type_string() }}) as node_b,
        'the value is junk and links nothing' as rule_detail,
        blocked_source_lists.sources,
        blocks.first_seen_at,
        blocks.last_seen_at,
        blocks.record_count
    from blocks
    inner join blocked_source_lists
        on blocks.node = blocked_source_lists.node

),

edge_hits as (

    select
        rule_name,
        case
            when rule_name = 'max_per_profile'
                then 'seeds/identity/identity_identifier_types.csv'
            else 'seeds/identity/identity_link_overrides.csv'
        end as rule_file,
        case
            when rule_name <> 'max_per_profile'
                then {{ dbt.concat([
                    'rule_name', "'|'", 'node_a', "'|'", 'node_b',
                ]) }}
            when limit_shared_node = node_a then identifier_type_b
            else identifier_type_a
        end as rule_key,
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        node_a,
        node_b,
        rule_detail,
        sources,
        first_seen_at,
        last_seen_at,
        record_count
    from edges

),

-- Links cut after clustering, where a chain joined what a rule keeps
-- apart.
chain_hits as (

    select
        rule_name,
        case
            when rule_name = 'max_per_profile_chain'
                then 'seeds/identity/identity_identifier_types.csv'
            else 'seeds/identity/identity_link_overrides.csv'
        end as rule_file,
        rule_key,
        identifier_type_a,
        identifier_value_a,
        identifier_type_b,
        identifier_value_b,
        node_a,
        node_b,
        rule_detail,
        sources,
        first_seen_at,
        last_seen_at,
        record_count
    from limit_cuts

),

unioned as (

    select * from block_hits
    union all
    select * from edge_hits
    union all
    select * from chain_hits

),

-- A hit naming an erased identifier would keep its value: it goes.
kept as (

    select unioned.*
    from unioned
    left join erasure_registry as erased_a
        on erased_a.identifier_key = {{ sha256_hex('unioned.node_a') }}
    left join erasure_registry as erased_b
        on erased_b.identifier_key = {{ sha256_hex('unioned.node_b') }}
    where
        erased_a.identifier_key is null
        and erased_b.identifier_key is null

),

final as (

    select
        cast({{ dbt.hash(dbt.concat([
            'rule_name', "'|'", 'node_a', "'|'", "coalesce(node_b, '')",
        ])) }} as {{ dbt.type_string() }}) as rule_hit_id,
        cast(rule_name as {{ dbt.type_string() }}) as rule_name,
        cast(rule_file as {{ dbt.type_string() }}) as rule_file,
        cast(rule_key as {{ dbt.type_string() }}) as rule_key,
        cast(identifier_type_a as {{ dbt.type_string() }})
            as identifier_type_a,
        cast(identifier_value_a as {{ dbt.type_string() }})
            as identifier_value_a,
        cast(identifier_type_b as {{ dbt.type_string() }})
            as identifier_type_b,
        cast(identifier_value_b as {{ dbt.type_string() }})
            as identifier_value_b,
        cast(rule_detail as {{ dbt.type_string() }}) as rule_detail,
        cast(sources as {{ dbt.type_string() }}) as sources,
        cast(first_seen_at as {{ dbt.type_timestamp() }}) as first_seen_at,
        cast(last_seen_at as {{ dbt.type_timestamp() }}) as last_seen_at,
        cast(record_count as {{ dbt.type_bigint() }}) as record_count,
        rule_name in (
            'do_not_link',
            'max_per_profile',
            'do_not_link_chain',
            'max_per_profile_chain'
        ) as is_edge_cut
    from kept

)

select * from final
