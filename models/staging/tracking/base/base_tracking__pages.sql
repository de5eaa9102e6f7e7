with

source as (

    select * from {{ source('tracking', 'pages') }}

),

parsed as (

    select
        {{ clean_text('id') }} as page_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('name') }} as page_name,
        {{ clean_text('url') }} as url,
        {{ clean_text('path') }} as url_path,
        {{ clean_text('search') }} as url_query,
        {{ clean_text('referrer') }} as referrer,
        {{ clean_text('title') }} as title,
        -- Source and medium are typed by hand into links ("Paid Social",
        -- "paid_social"): as categories they group. The campaign stays as
        -- sent, since it may be an ESP or ad campaign id to join on.
        {{ clean_category('context_campaign_source') }} as utm_source,
        {{ clean_category('context_campaign_medium') }} as utm_medium,
        {{ clean_text('context_campaign_name') }} as utm_campaign,
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

final as (

    select
        page_id,
        anonymous_id,
        user_id,
        page_name,
        url,
        url_path,
        url_query,
        referrer,
        title,
        utm_source,
        utm_medium,
        utm_campaign,
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
        page_id as _natural_key,
        case
            when page_id is null then 'missing_key'
            when _loaded_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
