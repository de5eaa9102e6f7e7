{%- do validate_retention_windows() -%}

with

cases as (

    select * from {{ ref('stg_crm__cases') }}

),

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

retention_windows as (

    select * from {{ ref('retention_windows') }}

),

profiles_by_contact_id as (

    select
        identifier_value as contact_id,
        profile_id
    from identifiers
    where identifier_type = 'crm_contact_id'

),

profile_cases as (

    select
        profiles_by_contact_id.profile_id,
        cases.case_id,
        cases.status,
        cases.satisfaction_score,
        cases.created_at,
        coalesce(cases.closed_at, cases.updated_at, cases.created_at)
            as scored_at
    from cases
    inner join profiles_by_contact_id
        on cases.contact_id = profiles_by_contact_id.contact_id
    where
        cases.created_at <= {{ cdp_as_of() }}
        and {{ is_within_retention('cases.created_at', 'service_cases') }}

),

-- The latest score given: the case closed (else last updated) last.
scored as (

    select
        profile_id,
        satisfaction_score,
        row_number() over (
            partition by profile_id
            order by scored_at desc, case_id desc
        ) as score_rank
    from profile_cases
    where satisfaction_score is not null

),

per_profile as (

    select
        profile_id,
        count(*) as case_count,
        sum(case when status in ('new', 'open') then 1 else 0 end)
            as open_case_count,
        max(created_at) as last_case_opened_at
    from profile_cases
    group by profile_id

),

final as (

    select
        per_profile.profile_id,
        per_profile.case_count,
        per_profile.open_case_count,
        per_profile.last_case_opened_at,
        scored.satisfaction_score as last_satisfaction_score
    from per_profile
    left join scored
        on
            per_profile.profile_id = scored.profile_id
            and scored.score_rank = 1

)

select * from final
