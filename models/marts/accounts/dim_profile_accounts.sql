with

profile_links as (

    select * from {{ ref('int_accounts__profile_links') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

final as (

    select
        cast(profile_links.profile_id as {{ dbt.type_string() }})
            as profile_id,
        cast(profile_links.account_id as {{ dbt.type_string() }})
            as account_id,
        cast(profile_links.link_method as {{ dbt.type_string() }})
            as link_method,
        cast(profile_links.link_evidence as {{ dbt.type_string() }})
            as link_evidence,
        cast(profile_links.evidence_seen_at as {{ dbt.type_timestamp() }})
            as evidence_seen_at,
        profile_links.is_primary_account
    from profile_links
    left join erased_profiles
        on profile_links.profile_id = erased_profiles.profile_id
    where erased_profiles.profile_id is null

)

select * from final
