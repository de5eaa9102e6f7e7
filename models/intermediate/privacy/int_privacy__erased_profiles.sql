with

registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

profile_id_map as (

    select * from {{ ref('dim_profile_id_map') }}

),

hashed_identifiers as (

    select
        profile_id,
        {{ sha256_hex('identifier_id') }} as identifier_key
    from profile_identifiers

),

-- A profile that holds an erased identifier today, whatever id it carries
-- now: an erased identifier that comes back (a new sign-up, a late row)
-- drags its profile out of every mart instead of reviving the old data.
by_identifier as (

    select
        hashed_identifiers.profile_id,
        min(registry.erased_at) as erased_at
    from hashed_identifiers
    inner join registry
        on hashed_identifiers.identifier_key = registry.identifier_key
    group by hashed_identifiers.profile_id

),

-- The profile id erased, followed through later merges.
by_profile_id as (

    select
        coalesce(profile_id_map.current_profile_id, registry.erased_profile_id)
            as profile_id,
        min(registry.erased_at) as erased_at
    from registry
    left join profile_id_map
        on registry.erased_profile_id = profile_id_map.issued_profile_id
    where registry.erased_profile_id is not null
    group by
        coalesce(profile_id_map.current_profile_id, registry.erased_profile_id)

),

unioned as (

    select * from by_identifier
    union all
    select * from by_profile_id

),

final as (

    select
        profile_id,
        min(erased_at) as erased_at
    from unioned
    group by profile_id

)

select * from final
