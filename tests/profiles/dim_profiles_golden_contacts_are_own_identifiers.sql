-- A profile's golden email and phone must be identifiers of that profile:
-- one that identity resolution gave to another profile must never win.
-- Returns the offending profiles.
with

profiles as (

    select * from {{ ref('dim_profiles') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

golden_contacts as (

    select
        profile_id,
        'email' as identifier_type,
        email as identifier_value
    from profiles
    where email is not null
    union all
    select
        profile_id,
        'phone' as identifier_type,
        phone as identifier_value
    from profiles
    where phone is not null

),

final as (

    select golden_contacts.*
    from golden_contacts
    left join profile_identifiers
        on
            golden_contacts.identifier_type
            = profile_identifiers.identifier_type
            and golden_contacts.identifier_value
            = profile_identifiers.identifier_value
            and golden_contacts.profile_id = profile_identifiers.profile_id
    where profile_identifiers.profile_id is null

)

select * from final
