{%- set run_started = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S')
    ~ "' as " ~ dbt.type_timestamp() ~ ")" %}

with

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

rule_hits as (

    select * from {{ ref('fct_identity_rule_hits') }}

),

edges as (

    select * from {{ ref('int_identity__edges_ruled') }}

),

profile_merges as (

    select * from {{ ref('fct_profile_merges') }}

),

profile_splits as (

    select * from {{ ref('fct_profile_splits') }}

),

clusters_over_limit as (

    select * from {{ ref('int_identity__clusters_over_limit') }}

),

unlinked_pairs_joined as (

    select * from {{ ref('int_identity__unlinked_pairs_joined') }}

),

blocked_values as (

    select * from {{ ref('identity_blocked_values') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

-- A profile is anonymous while it holds device ids only (anonymous_id,
-- the one type no person gives us on purpose).
profile_sizes as (

    select
        profile_id,
        count(*) as identifier_count,
        sum(
            case when identifier_type = 'anonymous_id' then 0 else 1 end
        ) as known_identifier_count
    from profile_identifiers
    group by profile_id

),

profile_counts as (

    select
        'profiles' as metric_name,
        'all' as metric_key,
        count(*) as metric_value,
        'Profiles holding at least one usable identifier.'
            as metric_description
    from profile_sizes
    union all
    select
        'profiles' as metric_name,
        'known' as metric_key,
        coalesce(sum(
            case when known_identifier_count > 0 then 1 else 0 end
        ), 0) as metric_value,
        'Profiles with an identifier other than a device id.'
            as metric_description
    from profile_sizes
    union all
    select
        'profiles' as metric_name,
        'anonymous' as metric_key,
        coalesce(sum(
            case when known_identifier_count = 0 then 1 else 0 end
        ), 0) as metric_value,
        'Profiles holding device ids (anonymous_id) only.'
            as metric_description
    from profile_sizes

),

identifier_counts as (

    select
        'identifiers' as metric_name,
        'all' as metric_key,
        count(*) as metric_value,
        'Usable identifiers in profiles.' as metric_description
    from profile_identifiers
    union all
    select
        'identifiers' as metric_name,
        identifier_type as metric_key,
        count(*) as metric_value,
        'Usable identifiers of the type in profiles.' as metric_description
    from profile_identifiers
    group by identifier_type

),

ranked_sizes as (

    select
        identifier_count,
        row_number() over (order by identifier_count) as size_rank,
        count(*) over () as profile_count
    from profile_sizes

),

percentiles as (

    select
        'p50' as percentile_key,
        0.5 as fraction
    union all
    select
        'p90' as percentile_key,
        0.9 as fraction
    union all
    select
        'p99' as percentile_key,
        0.99 as fraction
    union all
    select
        'max' as percentile_key,
        1.0 as fraction

),

-- Nearest rank: the p-th percentile is the size at rank ceil(p * n).
size_percentiles as (

    select
        'identifiers_per_profile' as metric_name,
        percentiles.percentile_key as metric_key,
        coalesce(ranked_sizes.identifier_count, 0) as metric_value,
        'Identifiers per profile at the percentile (nearest rank).'
            as metric_description
    from percentiles
    left join ranked_sizes
        on
            ranked_sizes.size_rank
            = ceil(percentiles.fraction * ranked_sizes.profile_count)

),

size_buckets as (

    select
        '1' as bucket_key,
        1 as lower_bound,
        1 as upper_bound
    union all
    select
        '2' as bucket_key,
        2 as lower_bound,
        2 as upper_bound
    union all
    select
        '3-5' as bucket_key,
        3 as lower_bound,
        5 as upper_bound
    union all
    select
        '6-10' as bucket_key,
        6 as lower_bound,
        10 as upper_bound
    union all
    select
        '11-50' as bucket_key,
        11 as lower_bound,
        50 as upper_bound
    union all
    select
        '51+' as bucket_key,
        51 as lower_bound,
        cast(null as {{ dbt.type_int() }}) as upper_bound

),

size_distribution as (

    select
        'profiles_by_identifier_count' as metric_name,
        size_buckets.bucket_key as metric_key,
        count(profile_sizes.profile_id) as metric_value,
        'Profiles holding this many identifiers.' as metric_description
    from size_buckets
    left join profile_sizes
        on
            size_buckets.lower_bound <= profile_sizes.identifier_count
            and (
                size_buckets.upper_bound is null
                or size_buckets.upper_bound >= profile_sizes.identifier_count
            )
    group by size_buckets.bucket_key

),

ranked_profiles as (

    select
        profile_id,
        identifier_count,
        row_number() over (
            order by
                identifier_count desc,
                {{ binary_collation('profile_id') }}
        ) as size_rank
    from profile_sizes

),

largest_profile as (

    select
        'largest_profile' as metric_name,
        profile_id as metric_key,
        identifier_count as metric_value,
        'Identifiers in the largest profile (the key), smallest id on a tie.'
            as metric_description
    from ranked_profiles
    where size_rank = 1

),

-- Every rule of the seed, so that a rule that blocks nothing shows as 0.
blocked_rules as (

    select
        {{ dbt.concat([
            'blocked_values.identifier_type', "'|'",
            'blocked_values.match_type', "'|'",
            'blocked_values.value',
        ]) }} as rule_key
    from blocked_values

),

block_hits as (

    select
        rule_key,
        count(*) as identifier_count,
        sum(record_count) as record_count
    from rule_hits
    where rule_name = 'blocked_value'
    group by rule_key

),

blocked as (

    select
        'blocked_identifiers' as metric_name,
        blocked_rules.rule_key as metric_key,
        coalesce(block_hits.identifier_count, 0) as metric_value,
        'Distinct identifiers the blocked-value rule (type|match|value) hit.'
            as metric_description
    from blocked_rules
    left join block_hits
        on blocked_rules.rule_key = block_hits.rule_key
    union all
    select
        'blocked_records' as metric_name,
        blocked_rules.rule_key as metric_key,
        coalesce(block_hits.record_count, 0) as metric_value,
        'Source records whose identifier the rule blocked.'
            as metric_description
    from blocked_rules
    left join block_hits
        on blocked_rules.rule_key = block_hits.rule_key

),

cut_rules as (

    select 'do_not_link' as rule_key
    union all
    select 'do_not_link_chain' as rule_key
    union all
    select
        {{ dbt.concat(["'max_per_profile|'", 'identifier_type']) }}
            as rule_key
    from identifier_types
    where max_per_profile is not null
    union all
    select
        {{ dbt.concat(["'max_per_profile_chain|'", 'identifier_type']) }}
            as rule_key
    from identifier_types
    where max_per_profile = 1

),

cut_rule_hits as (

    select
        case
            when rule_name in ('max_per_profile', 'max_per_profile_chain')
                then {{ dbt.concat(['rule_name', "'|'", 'rule_key']) }}
            else rule_name
        end as rule_key
    from rule_hits
    where is_edge_cut

),

cut_hits as (

    select
        rule_key,
        count(*) as edge_count
    from cut_rule_hits
    group by rule_key

),

edges_cut as (

    select
        'edges_cut' as metric_name,
        cut_rules.rule_key as metric_key,
        coalesce(cut_hits.edge_count, 0) as metric_value,
        'Edges the rule cut (_chain: after clustering, across a chain).'
            as metric_description
    from cut_rules
    left join cut_hits
        on cut_rules.rule_key = cut_hits.rule_key

),

edge_counts as (

    select
        'edges' as metric_name,
        'observed' as metric_key,
        coalesce(sum(case when record_count > 0 then 1 else 0 end), 0)
            as metric_value,
        'Pairs of identifiers seen together on a source record.'
            as metric_description
    from edges
    union all
    select
        'edges' as metric_name,
        'linked' as metric_key,
        coalesce(sum(case when is_linked then 1 else 0 end), 0)
            as metric_value,
        'Edges kept after the rules (forced ones included).'
            as metric_description
    from edges
    union all
    select
        'edges' as metric_name,
        'forced' as metric_key,
        coalesce(sum(case when rule_name = 'force_link' then 1 else 0 end), 0)
            as metric_value,
        'Edges a force-link override added or protected.'
            as metric_description
    from edges

),

over_limit_counts as (

    select
        identifier_type,
        count(*) as cluster_count
    from clusters_over_limit
    group by identifier_type

),

-- What the rules could not prevent: the edge rules cut direct edges
-- only, and the chain splits cover limit 1 and do-not-link (both must
-- stay 0), not the larger limits of email and phone.
review_findings as (

    select
        'clusters_over_limit' as metric_name,
        identifier_types.identifier_type as metric_key,
        coalesce(over_limit_counts.cluster_count, 0) as metric_value,
        'Clusters holding more identifiers of the type than its limit.'
            as metric_description
    from identifier_types
    left join over_limit_counts
        on identifier_types.identifier_type = over_limit_counts.identifier_type
    where identifier_types.max_per_profile is not null
    union all
    select
        'unlinked_pairs_joined' as metric_name,
        'all' as metric_key,
        count(*) as metric_value,
        'Do-not-link pairs another path still joins.' as metric_description
    from unlinked_pairs_joined

),

snapshot as (

    select * from profile_counts
    union all
    select * from identifier_counts
    union all
    select * from size_percentiles
    union all
    select * from size_distribution
    union all
    select * from largest_profile
    union all
    select * from blocked
    union all
    select * from edges_cut
    union all
    select * from edge_counts
    union all
    select * from review_findings

),

per_run as (

    select
        'profiles_merged' as metric_name,
        invocation_id as metric_key,
        count(*) as metric_value,
        min(merged_at) as run_at,
        invocation_id,
        'Profile ids the run (the key, a dbt invocation) absorbed.'
            as metric_description
    from profile_merges
    group by invocation_id
    union all
    select
        'profiles_split' as metric_name,
        invocation_id as metric_key,
        count(*) as metric_value,
        min(split_at) as run_at,
        invocation_id,
        'Profile ids the run issued to parts split off a profile.'
            as metric_description
    from profile_splits
    group by invocation_id

),

unioned as (

    select
        metric_name,
        metric_key,
        metric_value,
        {{ run_started }} as run_at,
        '{{ invocation_id }}' as invocation_id,
        metric_description
    from snapshot
    union all
    select
        metric_name,
        metric_key,
        metric_value,
        run_at,
        invocation_id,
        metric_description
    from per_run

),

final as (

    select
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(metric_key as {{ dbt.type_string() }}) as metric_key,
        cast(metric_value as {{ dbt.type_bigint() }}) as metric_value,
        cast(run_at as {{ dbt.type_timestamp() }}) as run_at,
        cast(invocation_id as {{ dbt.type_string() }}) as invocation_id,
        cast(metric_description as {{ dbt.type_string() }})
            as metric_description
    from unioned

)

select * from final
