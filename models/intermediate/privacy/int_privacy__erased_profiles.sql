with

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

identity_registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

hashed_identifiers as (

    select
        profile_id,
        {{ sha256_hex('node') }} as identifier_key
    from identity_registry

),

-- A profile that holds an erased identifier today, whatever id it carries
-- now (a merge moves the erased identifiers to the survivor): an erased
-- identifier that comes back (a new sign-up, a late row) takes its
-- profile out of every mart instead of reviving the old data.
final as (

    select
        hashed_identifiers.profile_id,
        min(erasure_registry.erased_at) as erased_at
    from hashed_identifiers
    inner join erasure_registry
        on hashed_identifiers.identifier_key = erasure_registry.identifier_key
    group by hashed_identifiers.profile_id

)

select * from final
