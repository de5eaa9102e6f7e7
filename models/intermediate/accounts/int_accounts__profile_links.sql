with

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

free_mail_domains as (

    select * from {{ ref('account_free_mail_domains') }}

),

live_accounts as (

    select
        account_id,
        website_domain
    from crm_accounts
    where not coalesce(is_deleted, false)

),

-- The CRM's own link: the profile holds a contact that names an account.
crm_links as (

    select
        profile_identifiers.profile_id,
        crm_contacts.account_id,
        'crm_contact' as link_method,
        crm_contacts.contact_id as link_evidence,
        profile_identifiers.last_seen_at as evidence_seen_at
    from profile_identifiers
    inner join crm_contacts
        on profile_identifiers.identifier_value = crm_contacts.contact_id
    inner join live_accounts
        on crm_contacts.account_id = live_accounts.account_id
    where
        profile_identifiers.identifier_type = 'crm_contact_id'
        and not coalesce(crm_contacts.is_deleted, false)

),

-- A website domain names an account only when it is not a free-mail
-- domain and exactly one live account has it.
account_domains as (

    select
        live_accounts.website_domain,
        min(live_accounts.account_id) as account_id,
        count(*) as account_count
    from live_accounts
    left join free_mail_domains
        on live_accounts.website_domain = free_mail_domains.domain
    where
        live_accounts.website_domain is not null
        and free_mail_domains.domain is null
    group by live_accounts.website_domain

),

email_domains as (

    select
        profile_id,
        {{ dbt.split_part('identifier_value', "'@'", 2) }} as email_domain,
        max(last_seen_at) as evidence_seen_at
    from profile_identifiers
    where identifier_type = 'email'
    group by
        profile_id,
        {{ dbt.split_part('identifier_value', "'@'", 2) }}

),

-- The fallback for profiles the CRM does not link: a work email on the
-- domain of an account's website.
domain_links as (

    select
        email_domains.profile_id,
        account_domains.account_id,
        'email_domain' as link_method,
        email_domains.email_domain as link_evidence,
        email_domains.evidence_seen_at
    from email_domains
    inner join account_domains
        on email_domains.email_domain = account_domains.website_domain
    left join free_mail_domains
        on email_domains.email_domain = free_mail_domains.domain
    left join crm_links
        on email_domains.profile_id = crm_links.profile_id
    where
        account_domains.account_count = 1
        and free_mail_domains.domain is null
        and crm_links.profile_id is null

),

unioned as (

    select * from crm_links
    union all
    select * from domain_links

),

-- One link per profile and account (two emails on one domain are one
-- link): the CRM link first, then the most recent evidence.
deduplicated as (

    select
        *,
        row_number() over (
            partition by profile_id, account_id
            order by
                case when link_method = 'crm_contact' then 0 else 1 end asc,
                evidence_seen_at desc,
                {{ binary_collation('link_evidence') }} asc
        ) as link_rank
    from unioned

),

final as (

    select
        profile_id,
        account_id,
        link_method,
        link_evidence,
        evidence_seen_at,
        row_number() over (
            partition by profile_id
            order by
                case when link_method = 'crm_contact' then 0 else 1 end asc,
                evidence_seen_at desc,
                {{ binary_collation('account_id') }} asc
        ) = 1 as is_primary_account
    from deduplicated
    where link_rank = 1

)

select * from final
