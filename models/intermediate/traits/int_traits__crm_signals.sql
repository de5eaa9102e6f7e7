with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

profiles_by_lead_id as (

    select
        identifier_value as lead_id,
        profile_id
    from identifiers
    where identifier_type = 'crm_lead_id'

),

profiles_by_contact_id as (

    select
        identifier_value as contact_id,
        profile_id
    from identifiers
    where identifier_type = 'crm_contact_id'

),

-- Lead status: mql is marketing qualified; working means sales has taken
-- the lead on (sales qualified), and so does a conversion to a contact.
lead_signals as (

    select
        profiles_by_lead_id.profile_id,
        case when leads.status = 'mql' then 1 else 0 end as is_mql,
        case
            when leads.status = 'working' then 1
            when leads.converted_contact_id is not null then 1
            else 0
        end as is_sql,
        0 as has_won_opportunity
    from leads
    inner join profiles_by_lead_id
        on leads.lead_id = profiles_by_lead_id.lead_id
    where not coalesce(leads.is_deleted, false)

),

-- An open opportunity makes its contact sales qualified; a won one makes
-- the contact a customer.
opportunity_signals as (

    select
        profiles_by_contact_id.profile_id,
        0 as is_mql,
        case when not opportunities.is_closed then 1 else 0 end as is_sql,
        case when opportunities.is_won then 1 else 0 end
            as has_won_opportunity
    from opportunities
    inner join profiles_by_contact_id
        on opportunities.contact_id = profiles_by_contact_id.contact_id
    where not coalesce(opportunities.is_deleted, false)

),

unioned as (

    select * from lead_signals
    union all
    select * from opportunity_signals

),

final as (

    select
        profile_id,
        max(is_mql) = 1 as is_mql,
        max(is_sql) = 1 as is_sql,
        max(has_won_opportunity) = 1 as has_won_opportunity
    from unioned
    group by profile_id

)

select * from final
