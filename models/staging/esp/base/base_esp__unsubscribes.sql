with

source as (

    select * from {{ source('esp', 'unsubscribes') }}

),

parsed as (

    select
        {{ clean_text('event_id') }} as unsubscribe_id,
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('list_id') }} as list_id,
        {{ clean_text('reason') }} as reason,
        {{ safe_cast_timestamp('unsubscribed_at') }} as unsubscribed_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        unsubscribe_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        list_id,
        -- The ESP leaves the list empty when the person left every list.
        list_id is null as is_all_lists,
        reason,
        unsubscribed_at,
        _loaded_at,
        unsubscribe_id as _natural_key,
        case
            when unsubscribe_id is null then 'missing_key'
            when unsubscribed_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
