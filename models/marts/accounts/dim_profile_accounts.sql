with

profile_links as (

    select * from {{ ref('int_accounts__profile_links') }}

),

final as (

    select
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(link_method as {{ dbt.type_string() }}) as link_method,
        cast(link_evidence as {{ dbt.type_string() }}) as link_evidence,
        cast(evidence_seen_at as {{ dbt.type_timestamp() }})
            as evidence_seen_at,
        is_primary_account
    from profile_links

)

select * from final
