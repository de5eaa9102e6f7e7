{%- set as_of = cdp_as_of() -%}
{%- set stages = opportunity_stage_aliases().keys() | list -%}

with

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

crm_opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

crm_activities as (

    select * from {{ ref('stg_crm__activities') }}

),

profile_links as (

    select * from {{ ref('int_accounts__profile_links') }}

),

profile_engagement as (

    select * from {{ ref('int_accounts__profile_engagement') }}

),

live_accounts as (

    select * from crm_accounts
    where not coalesce(is_deleted, false)

),

live_contacts as (

    select * from crm_contacts
    where not coalesce(is_deleted, false)

),

contact_counts as (

    select
        account_id,
        count(*) as crm_contact_count
    from live_contacts
    where account_id is not null
    group by account_id

),

profile_counts as (

    select
        profile_links.account_id,
        count(distinct profile_links.profile_id) as linked_profile_count,
        count(
            distinct case
                when profile_links.link_method = 'crm_contact'
                    then profile_links.profile_id
            end
        ) as crm_linked_profile_count,
        count(
            distinct case
                when profile_links.link_method = 'email_domain'
                    then profile_links.profile_id
            end
        ) as domain_linked_profile_count,
        count(
            distinct case
                when profile_engagement.is_engaged_90d
                    then profile_links.profile_id
            end
        ) as engaged_profile_count,
        max(profile_engagement.last_email_engagement_at)
            as last_email_engagement_at,
        max(profile_engagement.last_web_visit_at) as last_web_visit_at
    from profile_links
    left join profile_engagement
        on profile_links.profile_id = profile_engagement.profile_id
    group by profile_links.account_id

),

live_opportunities as (

    select
        *,
        case
            when is_won then {{ dbt.datediff(
                'created_at',
                'cast(close_date as ' ~ dbt.type_timestamp() ~ ')',
                'day') }}
        end as days_to_close
    from crm_opportunities
    where not coalesce(is_deleted, false) and account_id is not null

),

-- Amounts are summed only when all of an account's opportunities share
-- one currency; mixed currencies are not converted (no rates here), so
-- their sums stay null and pipeline_currency says 'mixed'.
opportunity_rollups as (

    select
        account_id,
        count(distinct currency) as currency_count,
        max(currency) as any_currency,
        count(*) as opportunity_count,
        sum(case when not is_closed then 1 else 0 end)
            as open_opportunity_count,
        sum(case when not is_closed then amount end) as open_pipeline_amount,
        {% for stage in stages %}
            sum(case when stage_name = '{{ stage }}' then 1 else 0 end)
                as {{ stage }}_opportunity_count,
        {% endfor %}
        sum(case when is_won then 1 else 0 end) as won_opportunity_count,
        sum(case when is_closed and not is_won then 1 else 0 end)
            as lost_opportunity_count,
        sum(case when is_won then amount end) as won_amount,
        avg(case when is_won then amount end) as average_won_amount,
        avg(days_to_close) as average_days_to_close
    from live_opportunities
    group by account_id

),

-- A CRM activity counts for the account it names, else for its contact's
-- account.
activity_accounts as (

    select
        coalesce(crm_activities.account_id, live_contacts.account_id)
            as account_id,
        crm_activities.occurred_at
    from crm_activities
    left join live_contacts
        on crm_activities.contact_id = live_contacts.contact_id
    where crm_activities.occurred_at <= {{ as_of }}

),

activity_rollups as (

    select
        account_id,
        max(occurred_at) as last_crm_activity_at
    from activity_accounts
    where account_id is not null
    group by account_id

),

joined as (

    select
        live_accounts.account_id,
        live_accounts.account_name,
        live_accounts.website_domain,
        live_accounts.industry,
        live_accounts.employee_count,
        live_accounts.annual_revenue,
        live_accounts.country_code,
        live_accounts.owner_id,
        live_accounts.created_at,
        live_accounts.updated_at,
        coalesce(contact_counts.crm_contact_count, 0) as crm_contact_count,
        coalesce(profile_counts.linked_profile_count, 0)
            as linked_profile_count,
        coalesce(profile_counts.crm_linked_profile_count, 0)
            as crm_linked_profile_count,
        coalesce(profile_counts.domain_linked_profile_count, 0)
            as domain_linked_profile_count,
        coalesce(profile_counts.engaged_profile_count, 0)
            as engaged_profile_count,
        case
            when opportunity_rollups.currency_count = 1
                then opportunity_rollups.any_currency
            when opportunity_rollups.currency_count > 1 then 'mixed'
        end as pipeline_currency,
        coalesce(opportunity_rollups.currency_count, 0) <= 1
            as is_single_currency,
        coalesce(opportunity_rollups.opportunity_count, 0)
            as opportunity_count,
        coalesce(opportunity_rollups.open_opportunity_count, 0)
            as open_opportunity_count,
        {% for stage in stages %}
            coalesce(opportunity_rollups.{{ stage }}_opportunity_count, 0)
                as {{ stage }}_opportunity_count,
        {% endfor %}
        coalesce(opportunity_rollups.won_opportunity_count, 0)
            as won_opportunity_count,
        coalesce(opportunity_rollups.lost_opportunity_count, 0)
            as lost_opportunity_count,
        opportunity_rollups.open_pipeline_amount,
        opportunity_rollups.won_amount,
        opportunity_rollups.average_won_amount,
        opportunity_rollups.average_days_to_close,
        activity_rollups.last_crm_activity_at,
        profile_counts.last_email_engagement_at,
        profile_counts.last_web_visit_at
    from live_accounts
    left join contact_counts
        on live_accounts.account_id = contact_counts.account_id
    left join profile_counts
        on live_accounts.account_id = profile_counts.account_id
    left join opportunity_rollups
        on live_accounts.account_id = opportunity_rollups.account_id
    left join activity_rollups
        on live_accounts.account_id = activity_rollups.account_id

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(website_domain as {{ dbt.type_string() }}) as website_domain,
        cast(industry as {{ dbt.type_string() }}) as industry,
        cast(employee_count as {{ dbt.type_bigint() }}) as employee_count,
        cast(annual_revenue as numeric(18, 2)) as annual_revenue,
        cast(country_code as {{ dbt.type_string() }}) as country_code,
        cast(owner_id as {{ dbt.type_string() }}) as owner_id,
        cast(crm_contact_count as {{ dbt.type_bigint() }})
            as crm_contact_count,
        cast(linked_profile_count as {{ dbt.type_bigint() }})
            as linked_profile_count,
        cast(crm_linked_profile_count as {{ dbt.type_bigint() }})
            as crm_linked_profile_count,
        cast(domain_linked_profile_count as {{ dbt.type_bigint() }})
            as domain_linked_profile_count,
        cast(engaged_profile_count as {{ dbt.type_bigint() }})
            as engaged_profile_count,
        cast(opportunity_count as {{ dbt.type_bigint() }})
            as opportunity_count,
        cast(open_opportunity_count as {{ dbt.type_bigint() }})
            as open_opportunity_count,
        {% for stage in stages %}
            cast({{ stage }}_opportunity_count as {{ dbt.type_bigint() }})
                as {{ stage }}_opportunity_count,
        {% endfor %}
        cast(won_opportunity_count as {{ dbt.type_bigint() }})
            as won_opportunity_count,
        cast(lost_opportunity_count as {{ dbt.type_bigint() }})
            as lost_opportunity_count,
        cast(pipeline_currency as {{ dbt.type_string() }})
            as pipeline_currency,
        cast(
            case when is_single_currency then open_pipeline_amount end
            as numeric(18, 2)
        ) as open_pipeline_amount,
        cast(
            case when is_single_currency then won_amount end
            as numeric(18, 2)
        ) as won_amount,
        cast(
            case when is_single_currency then average_won_amount end
            as numeric(18, 2)
        ) as average_won_amount,
        cast(
            case
                when won_opportunity_count + lost_opportunity_count > 0
                    then
                        1.0 * won_opportunity_count
                        / (won_opportunity_count + lost_opportunity_count)
            end
            as numeric(18, 4)
        ) as win_rate,
        cast(average_days_to_close as numeric(18, 2))
            as average_days_to_close,
        cast(last_crm_activity_at as {{ dbt.type_timestamp() }})
            as last_crm_activity_at,
        cast(last_email_engagement_at as {{ dbt.type_timestamp() }})
            as last_email_engagement_at,
        cast(last_web_visit_at as {{ dbt.type_timestamp() }})
            as last_web_visit_at,
        cast(
            case
                when
                    last_crm_activity_at >= coalesce(
                        last_email_engagement_at, last_crm_activity_at
                    )
                    and last_crm_activity_at >= coalesce(
                        last_web_visit_at, last_crm_activity_at
                    )
                    then last_crm_activity_at
                when
                    last_email_engagement_at >= coalesce(
                        last_web_visit_at, last_email_engagement_at
                    )
                    then last_email_engagement_at
                else last_web_visit_at
            end
            as {{ dbt.type_timestamp() }}
        ) as last_activity_at,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at
    from joined

)

select * from final
