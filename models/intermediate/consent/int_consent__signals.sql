{%- do validate_consent_rules() -%}
-- depends_on: {{ ref('consent_purposes') }}
-- depends_on: {{ ref('consent_signal_purposes') }}
-- depends_on: {{ ref('consent_jurisdictions') }}
-- depends_on: {{ ref('consent_regional_defaults') }}
-- depends_on: {{ ref('suppression_legal_holds') }}

{%- set consent_mode_fields = [
    'ad_storage', 'analytics_storage', 'ad_user_data', 'ad_personalization',
    'functionality_storage', 'personalization_storage', 'security_storage',
] %}

with

consent_events as (

    select * from {{ ref('stg_consent__consent_events') }}

),

preference_changes as (

    select * from {{ ref('stg_consent__preference_changes') }}

),

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

esp_subscribers as (

    select * from {{ ref('stg_esp__subscribers') }}

),

esp_unsubscribes as (

    select * from {{ ref('stg_esp__unsubscribes') }}

),

esp_complaints as (

    select * from {{ ref('stg_esp__complaints') }}

),

shop_customers as (

    select * from {{ ref('stg_shop__customers') }}

),

privacy_requests as (

    select * from {{ ref('stg_privacy__requests') }}

),

-- One signal per Consent Mode field the banner sent, per TCF purpose of a
-- readable TC string, and a GPC signal when the browser said anything.
consent_tool_signals as (

    {% for field in consent_mode_fields %}
        select
            'consent_mode' as source_name,
            consent_event_id as source_record_id,
            '{{ field }}' as signal_name,
            {{ field }} as signal_value,
            captured_at,
            country_code,
            cast(null as {{ dbt.type_string() }}) as law,
            anonymous_id,
            user_id as shop_customer_id,
            email,
            cast(null as {{ dbt.type_string() }}) as phone,
            cast(null as {{ dbt.type_string() }}) as crm_contact_id,
            cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
        from consent_events
        where {{ field }} is not null
        union all
    {% endfor %}
    {% for purpose_number in range(1, 12) %}
        select
            'tcf' as source_name,
            consent_event_id as source_record_id,
            'purpose_{{ purpose_number }}' as signal_name,
            case
                when {{ tcf_purpose_consent('tcf_string', purpose_number) }}
                    then 'granted'
                else 'denied'
            end as signal_value,
            captured_at,
            country_code,
            cast(null as {{ dbt.type_string() }}) as law,
            anonymous_id,
            user_id as shop_customer_id,
            email,
            cast(null as {{ dbt.type_string() }}) as phone,
            cast(null as {{ dbt.type_string() }}) as crm_contact_id,
            cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
        from consent_events
        where {{ tcf_is_readable('tcf_string') }}
        union all
    {% endfor %}
    -- A TC string that cannot be read is kept as a signal without a value,
    -- so that it is seen rather than lost.
    select
        'tcf' as source_name,
        consent_event_id as source_record_id,
        'unreadable_tc_string' as signal_name,
        cast(null as {{ dbt.type_string() }}) as signal_value,
        captured_at,
        country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        anonymous_id,
        user_id as shop_customer_id,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
    from consent_events
    where
        tcf_string is not null
        and not {{ tcf_is_readable('tcf_string') }}
    union all
    select
        'gpc' as source_name,
        consent_event_id as source_record_id,
        'gpc' as signal_name,
        case when has_gpc_signal then 'denied' else 'granted' end
            as signal_value,
        captured_at,
        country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        anonymous_id,
        user_id as shop_customer_id,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
    from consent_events
    where has_gpc_signal is not null

),

preference_signals as (

    select
        'preference_centre' as source_name,
        preference_change_id as source_record_id,
        purpose as signal_name,
        case choice
            when 'opt_in' then 'granted'
            when 'opt_out' then 'denied'
        end as signal_value,
        captured_at,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        user_id as shop_customer_id,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
    from preference_changes
    where purpose is not null

),

-- The CRM's flags are written at the contact's latest edit: that edit is
-- when the CRM last confirmed them.
crm_signals as (

    {% for flag, column in [('email_opt_out', 'is_email_opt_out'),
                            ('do_not_contact', 'is_do_not_contact')] %}
        select
            'crm' as source_name,
            contact_id as source_record_id,
            '{{ flag }}' as signal_name,
            case when {{ column }} then 'denied' else 'granted' end
                as signal_value,
            updated_at as captured_at,
            country_code,
            cast(null as {{ dbt.type_string() }}) as law,
            cast(null as {{ dbt.type_string() }}) as anonymous_id,
            cast(null as {{ dbt.type_string() }}) as shop_customer_id,
            email,
            coalesce(mobile_phone, phone) as phone,
            contact_id as crm_contact_id,
            cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
        from crm_contacts
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- A subscription is an opt-in made when the subscriber was created; a
-- withdrawal is dated by the edit that recorded it. Bounced (cleaned) and
-- pending are delivery states, not choices.
esp_signals as (

    {% for channel in ['email', 'sms'] %}
        select
            'esp' as source_name,
            subscriber_id as source_record_id,
            '{{ channel }}_status' as signal_name,
            case
                when {{ channel }}_status = 'subscribed' then 'granted'
                when {{ channel }}_status in ('unsubscribed', 'complained')
                    then 'denied'
            end as signal_value,
            case
                when {{ channel }}_status = 'subscribed'
                    then coalesce(created_at, updated_at)
                else updated_at
            end as captured_at,
            country_code,
            cast(null as {{ dbt.type_string() }}) as law,
            cast(null as {{ dbt.type_string() }}) as anonymous_id,
            cast(null as {{ dbt.type_string() }}) as shop_customer_id,
            email,
            phone,
            cast(null as {{ dbt.type_string() }}) as crm_contact_id,
            subscriber_id as esp_subscriber_id
        from esp_subscribers
        where
            {{ channel }}_status
            in ('subscribed', 'unsubscribed', 'complained')
        union all
    {% endfor %}
    select
        'esp' as source_name,
        unsubscribe_id as source_record_id,
        'unsubscribe' as signal_name,
        'denied' as signal_value,
        unsubscribed_at as captured_at,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        cast(null as {{ dbt.type_string() }}) as shop_customer_id,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        subscriber_id as esp_subscriber_id
    from esp_unsubscribes
    where is_all_lists
    union all
    select
        'esp' as source_name,
        complaint_id as source_record_id,
        'complaint' as signal_name,
        'denied' as signal_value,
        complained_at as captured_at,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        cast(null as {{ dbt.type_string() }}) as shop_customer_id,
        email,
        cast(null as {{ dbt.type_string() }}) as phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        subscriber_id as esp_subscriber_id
    from esp_complaints

),

-- The shop's box is ticked when the account is opened.
shop_signals as (

    select
        'shop' as source_name,
        customer_id as source_record_id,
        'accepts_marketing' as signal_name,
        case when has_accepted_marketing then 'granted' else 'denied' end
            as signal_value,
        coalesce(created_at, updated_at) as captured_at,
        country_code,
        cast(null as {{ dbt.type_string() }}) as law,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        customer_id as shop_customer_id,
        email,
        phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
    from shop_customers
    where has_accepted_marketing is not null

),

-- An opt-out needs no identity check (CCPA): it counts from filing unless
-- the portal rejected it.
privacy_signals as (

    select
        'privacy_request' as source_name,
        request_id as source_record_id,
        'opt_out' as signal_name,
        'denied' as signal_value,
        requested_at as captured_at,
        cast(null as {{ dbt.type_string() }}) as country_code,
        jurisdiction as law,
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        coalesce(customer_id, user_id) as shop_customer_id,
        email,
        phone,
        cast(null as {{ dbt.type_string() }}) as crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as esp_subscriber_id
    from privacy_requests
    where
        request_type = 'opt_out'
        and coalesce(status, 'received') <> 'rejected'

),

unioned as (

    select * from consent_tool_signals
    union all
    select * from preference_signals
    union all
    select * from crm_signals
    union all
    select * from esp_signals
    union all
    select * from shop_signals
    union all
    select * from privacy_signals

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'source_name', "'|'", 'source_record_id', "'|'", 'signal_name'])) }}
            as signal_id,
        source_name,
        case
            when source_name in ('consent_mode', 'tcf', 'gpc')
                then 'consent_tool'
            when source_name = 'preference_centre' then 'preference_centre'
            when source_name = 'privacy_request' then 'privacy_portal'
            else source_name
        end as source_system,
        source_record_id,
        signal_name,
        signal_value,
        captured_at,
        country_code,
        law,
        anonymous_id,
        shop_customer_id,
        email,
        phone,
        crm_contact_id,
        esp_subscriber_id
    from unioned

)

select * from final
