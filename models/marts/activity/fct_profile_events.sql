{%- do validate_retention_windows() -%}

with

web_events as (

    select * from {{ ref('int_activity__web_events') }}

),

email_events as (

    select * from {{ ref('fct_email_events') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

refunds as (

    select * from {{ ref('stg_shop__refunds') }}

),

cases as (

    select * from {{ ref('stg_crm__cases') }}

),

crm_activities as (

    select * from {{ ref('stg_crm__activities') }}

),

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

retention_windows as (

    select * from {{ ref('retention_windows') }}

),

{% set null_text = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
{% set null_amount = 'cast(null as ' ~ dbt.type_numeric() ~ ')' %}

profiles_by_user_id as (

    select
        identifier_value as user_id,
        profile_id
    from identifiers
    where identifier_type = 'shop_customer_id'

),

profiles_by_anonymous_id as (

    select
        identifier_value as anonymous_id,
        profile_id
    from identifiers
    where identifier_type = 'anonymous_id'

),

profiles_by_contact_id as (

    select
        identifier_value as contact_id,
        profile_id
    from identifiers
    where identifier_type = 'crm_contact_id'

),

profiles_by_lead_id as (

    select
        identifier_value as lead_id,
        profile_id
    from identifiers
    where identifier_type = 'crm_lead_id'

),

-- A web event belongs to the logged-in user's profile, else to the
-- browser's.
web_timeline as (

    select
        web_events.web_event_id as event_id,
        coalesce(
            profiles_by_user_id.profile_id,
            profiles_by_anonymous_id.profile_id
        ) as profile_id,
        web_events.event_at as occurred_at,
        'web' as channel,
        web_events.event_type,
        web_events.source_model,
        web_events.source_key,
        web_events.utm_campaign as campaign_id,
        web_events.url_path,
        {{ null_amount }} as amount,
        {{ null_text }} as currency
    from web_events
    left join profiles_by_user_id
        on web_events.user_id = profiles_by_user_id.user_id
    left join profiles_by_anonymous_id
        on web_events.anonymous_id = profiles_by_anonymous_id.anonymous_id
    where {{ is_within_retention('web_events.event_at', 'web_events') }}

),

email_timeline as (

    select
        {{ dbt.concat(["'email:'", 'email_event_id']) }} as event_id,
        profile_id,
        occurred_at,
        'email' as channel,
        {{ dbt.concat(["'email_'", 'event_type']) }} as event_type,
        source_model,
        source_key,
        campaign_id,
        {{ null_text }} as url_path,
        {{ null_amount }} as amount,
        {{ null_text }} as currency
    from email_events

),

order_timeline as (

    select
        {{ dbt.concat(["'order:'", 'order_id']) }} as event_id,
        profile_id,
        ordered_at as occurred_at,
        case
            when order_channel = 'store' then 'store'
            else 'commerce'
        end as channel,
        case
            when is_cancelled then 'order_cancelled'
            else 'order_placed'
        end as event_type,
        source_model,
        source_key,
        {{ null_text }} as campaign_id,
        {{ null_text }} as url_path,
        total_amount as amount,
        currency
    from orders

),

-- A refund is its own moment in the timeline; it belongs to whoever
-- placed the order (so it follows the order's retention).
refund_timeline as (

    select
        {{ dbt.concat(["'refund:'", 'refunds.refund_id']) }} as event_id,
        orders.profile_id,
        refunds.refunded_at as occurred_at,
        'commerce' as channel,
        'refund_issued' as event_type,
        'stg_shop__refunds' as source_model,
        refunds.refund_id as source_key,
        {{ null_text }} as campaign_id,
        {{ null_text }} as url_path,
        refunds.amount,
        orders.currency
    from refunds
    inner join orders
        on orders.order_id = {{ dbt.concat(["'shop:'", 'refunds.order_id']) }}

),

case_timeline as (

    select
        {{ dbt.concat(["'case:'", 'cases.case_id']) }} as event_id,
        profiles_by_contact_id.profile_id,
        cases.created_at as occurred_at,
        'service' as channel,
        'case_opened' as event_type,
        'stg_crm__cases' as source_model,
        cases.case_id as source_key,
        {{ null_text }} as campaign_id,
        {{ null_text }} as url_path,
        {{ null_amount }} as amount,
        {{ null_text }} as currency
    from cases
    left join profiles_by_contact_id
        on cases.contact_id = profiles_by_contact_id.contact_id
    where {{ is_within_retention('cases.created_at', 'service_cases') }}

),

-- An activity on a contact outranks its lead, as in the identifier types
-- seed.
crm_activity_timeline as (

    select
        {{ dbt.concat(["'crm_activity:'", 'crm_activities.activity_id']) }}
            as event_id,
        coalesce(
            profiles_by_contact_id.profile_id,
            profiles_by_lead_id.profile_id
        ) as profile_id,
        crm_activities.occurred_at,
        'crm' as channel,
        {{ dbt.concat([
            "'crm_'", "coalesce(crm_activities.activity_type, 'activity')"
        ]) }} as event_type,
        'stg_crm__activities' as source_model,
        crm_activities.activity_id as source_key,
        {{ null_text }} as campaign_id,
        {{ null_text }} as url_path,
        {{ null_amount }} as amount,
        {{ null_text }} as currency
    from crm_activities
    left join profiles_by_contact_id
        on crm_activities.contact_id = profiles_by_contact_id.contact_id
    left join profiles_by_lead_id
        on crm_activities.lead_id = profiles_by_lead_id.lead_id
    where {{ is_within_retention('crm_activities.occurred_at',
        'crm_activities') }}

),

unioned as (

    select * from web_timeline
    union all
    select * from email_timeline
    union all
    select * from order_timeline
    union all
    select * from refund_timeline
    union all
    select * from case_timeline
    union all
    select * from crm_activity_timeline

),

final as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(source_model as {{ dbt.type_string() }}) as source_model,
        cast(source_key as {{ dbt.type_string() }}) as source_key,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(url_path as {{ dbt.type_string() }}) as url_path,
        cast(amount as {{ dbt.type_numeric() }}) as amount,
        cast(currency as {{ dbt.type_string() }}) as currency
    from unioned
    where profile_id is not null

)

select * from final
