-- The size histogram and the profile count of rpt_identity_health come
-- from the same profiles: a profile lost or counted twice returns a row.

with

health as (

    select * from {{ ref('rpt_identity_health') }}

),

bucketed as (

    select coalesce(sum(metric_value), 0) as profile_count
    from health
    where metric_name = 'profiles_by_identifier_count'

),

counted as (

    select coalesce(sum(metric_value), 0) as profile_count
    from health
    where metric_name = 'profiles' and metric_key = 'all'

),

final as (

    select
        bucketed.profile_count as bucketed_profiles,
        counted.profile_count as counted_profiles
    from bucketed
    cross join counted
    where bucketed.profile_count <> counted.profile_count

)

select * from final
