with

source as (

    select * from {{ source('esp', 'clicks') }}

),

parsed as (

    select
        {{ clean_text('event_id') }} as click_id,
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('url') }} as url,
        {{ safe_cast_timestamp('clicked_at') }} as clicked_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        click_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        url,
        clicked_at,
        _loaded_at,
        click_id as _natural_key,
        -- The staging model is incremental and selects rows by load time:
        -- a row without one could never be picked up by a later run.
        case
            when click_id is null then 'missing_key'
            when clicked_at is null or _loaded_at is null
                then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
