{#- Other spellings of each status seen in Klaviyo- and Mailchimp-shaped
    exports, by the allowed value they mean. -#}
{%- set email_status_aliases = {
    'subscribed': ['subscribe', 'active', 'opted_in', 'opt_in'],
    'unsubscribed': ['unsubscribe', 'opted_out', 'opt_out', 'inactive'],
    'cleaned': ['clean', 'hard_bounced', 'bounced'],
    'complained': ['complaint', 'spam', 'spam_complaint'],
    'pending': ['unconfirmed'],
} -%}
{%- set sms_status_aliases = {
    'subscribed': ['subscribe', 'active', 'opted_in', 'opt_in'],
    'unsubscribed': ['unsubscribe', 'opted_out', 'opt_out', 'inactive'],
} -%}

with

source as (

    select * from {{ source('esp', 'subscribers') }}

),

parsed as (

    select
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_country('country') }} as country_code,
        {{ clean_text('email_status') }} as email_status_raw,
        {{ map_category('email_status', email_status_aliases) }}
            as email_status,
        {{ clean_text('sms_status') }} as sms_status_raw,
        {{ map_category('sms_status', sms_status_aliases) }} as sms_status,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

phones as (

    select
        *,
        {{ normalize_phone('phone_raw', 'country_code') }} as phone
    from parsed

),

final as (

    select
        subscriber_id,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        first_name,
        last_name,
        country_code,
        email_status,
        email_status_raw is not null and email_status is null
            as has_invalid_email_status,
        sms_status,
        sms_status_raw is not null and sms_status is null
            as has_invalid_sms_status,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        _loaded_at,
        subscriber_id as _natural_key,
        case
            when subscriber_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
