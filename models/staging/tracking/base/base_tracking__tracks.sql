with

source as (

    select * from {{ source('tracking', 'tracks') }}

),

parsed as (

    select
        {{ clean_text('id') }} as track_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('event') }} as original_event_name,
        -- Apps name one event "Order Completed", "order_completed" or
        -- "orderCompleted": camel case is split before the name becomes a
        -- category key, so that all three group together.
        nullif({{ category_key(regexp_replace_all(
            'event', '([a-z0-9])([A-Z])', '\\1_\\2')) }}, '') as event_name,
        {{ clean_text('event_text') }} as event_text,
        {{ clean_text('properties') }} as properties,
        {{ clean_text('context_ip') }} as ip_address,
        {{ clean_text('context_user_agent') }} as user_agent,
        {{ clean_text('context_page_url') }} as page_url,
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
        track_id,
        anonymous_id,
        user_id,
        original_event_name,
        event_name,
        event_text,
        properties,
        ip_address,
        user_agent,
        page_url,
        {{ event_time('reported_at', '_loaded_at') }} as event_at,
        reported_at,
        reported_at_raw is not null and reported_at is null
            as has_invalid_timestamp,
        {{ is_future_dated('reported_at', '_loaded_at') }}
            as is_future_dated,
        sent_at,
        sent_at_raw is not null and sent_at is null as has_invalid_sent_at,
        _loaded_at,
        track_id as _natural_key,
        case
            when track_id is null then 'missing_key'
            when _loaded_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
