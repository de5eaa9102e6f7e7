with

source as (

    select * from {{ source('tracking', 'identifies') }}

),

parsed as (

    select
        {{ clean_text('id') }} as identify_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('context_ip') }} as ip_address,
        {{ clean_text('context_user_agent') }} as user_agent,
        {{ clean_text('context_locale') }} as browser_locale,
        {{ clean_text(adapter.quote('timestamp')) }} as reported_at_raw,
        {{ safe_cast_timestamp(adapter.quote('timestamp')) }} as reported_at,
        {{ clean_text('sent_at') }} as sent_at_raw,
        {{ safe_cast_timestamp('sent_at') }} as sent_at,
        {{ safe_cast_timestamp('received_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

-- Identify calls carry no country, so only numbers written in
-- international form (+..., 00...) can be read; national ones are flagged.
phones as (

    select
        *,
        {{ normalize_phone('phone_raw', 'null') }} as phone
    from parsed

),

final as (

    select
        identify_id,
        anonymous_id,
        user_id,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        first_name,
        last_name,
        ip_address,
        user_agent,
        browser_locale,
        {{ event_time('reported_at', '_loaded_at') }} as event_at,
        reported_at,
        reported_at_raw is not null and reported_at is null
            as has_invalid_timestamp,
        {{ is_future_dated('reported_at', '_loaded_at') }}
            as is_future_dated,
        sent_at,
        sent_at_raw is not null and sent_at is null as has_invalid_sent_at,
        _loaded_at,
        identify_id as _natural_key,
        case
            when identify_id is null then 'missing_key'
            when _loaded_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
