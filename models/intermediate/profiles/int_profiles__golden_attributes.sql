{{ validate_profile_survivorship() }}

with

candidates as (

    select * from {{ ref('int_profiles__attribute_candidates') }}

),

survivorship as (

    select * from {{ ref('profile_survivorship') }}

),

valid_candidates as (

    select * from candidates
    where is_valid

),

-- How many of the profile's records give the same value, for
-- most_frequent.
value_counts as (

    select
        profile_id,
        attribute_name,
        attribute_value,
        count(*) as value_record_count
    from valid_candidates
    group by profile_id, attribute_name, attribute_value

),

-- The rank of a source is where it stands in source_order (found by
-- position, so no list has to be split); a source not listed comes after
-- every listed one.
ranked_sources as (

    select
        valid_candidates.*,
        survivorship.rule as survivorship_rule,
        value_counts.value_record_count,
        coalesce(
            nullif(
                {{ dbt.position(
                    dbt.concat(["'|'", 'valid_candidates.source_name', "'|'"]),
                    dbt.concat(["'|'", 'survivorship.source_order', "'|'"])
                ) }},
                0
            ),
            1000000
        ) as source_rank
    from valid_candidates
    inner join survivorship
        on valid_candidates.attribute_name = survivorship.attribute_name
    inner join value_counts
        on
            valid_candidates.profile_id = value_counts.profile_id
            and valid_candidates.attribute_name = value_counts.attribute_name
            and valid_candidates.attribute_value
            = value_counts.attribute_value

),

-- The rule orders the candidates; what it leaves tied goes to the most
-- recent observation, then the better source, then the smallest value and
-- record id (byte order), so that every run and every warehouse picks the
-- same winner.
ordered as (

    select
        *,
        row_number() over (
            partition by profile_id, attribute_name
            order by
                case
                    when survivorship_rule = 'source_precedence'
                        then source_rank
                    else 0
                end asc,
                case
                    when survivorship_rule = 'most_frequent'
                        then value_record_count
                    else 0
                end desc,
                case when observed_at is null then 1 else 0 end asc,
                observed_at desc,
                source_rank asc,
                {{ binary_collation('attribute_value') }} asc,
                {{ binary_collation('source_record_id') }} asc,
                source_column asc
        ) as candidate_rank,
        count(*) over (partition by profile_id, attribute_name)
            as valid_candidate_count
    from ranked_sources

),

distinct_values as (

    select
        profile_id,
        attribute_name,
        count(distinct attribute_value) as distinct_value_count
    from valid_candidates
    group by profile_id, attribute_name

),

final as (

    select
        ordered.profile_id,
        ordered.attribute_name,
        ordered.attribute_value,
        ordered.source_name,
        ordered.source_record_id,
        ordered.source_column,
        ordered.observed_at,
        ordered.survivorship_rule,
        ordered.valid_candidate_count,
        distinct_values.distinct_value_count
    from ordered
    inner join distinct_values
        on
            ordered.profile_id = distinct_values.profile_id
            and ordered.attribute_name = distinct_values.attribute_name
    where ordered.candidate_rank = 1

)

select * from final
