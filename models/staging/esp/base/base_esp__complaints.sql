with

source as (

    select * from {{ source('esp', 'complaints') }}

),

parsed as (

    select
        {{ clean_text('event_id') }} as complaint_id,
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ safe_cast_timestamp('complained_at') }} as complained_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        complaint_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        complained_at,
        _loaded_at,
        complaint_id as _natural_key,
        case
            when complaint_id is null then 'missing_key'
            when complained_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
