{#- Other spellings of a bounce type, by the allowed value they mean. -#}
{%- set bounce_type_aliases = {
    'hard': ['hard_bounce', 'hardbounce', 'permanent'],
    'soft': ['soft_bounce', 'softbounce', 'transient', 'temporary'],
} -%}

with

source as (

    select * from {{ source('esp', 'bounces') }}

),

parsed as (

    select
        {{ clean_text('event_id') }} as bounce_id,
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('bounce_type') }} as bounce_type_raw,
        {{ map_category('bounce_type', bounce_type_aliases) }} as bounce_type,
        {{ safe_cast_timestamp('bounced_at') }} as bounced_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        bounce_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        bounce_type,
        bounce_type_raw is not null and bounce_type is null
            as has_invalid_bounce_type,
        bounced_at,
        _loaded_at,
        bounce_id as _natural_key,
        case
            when bounce_id is null then 'missing_key'
            when bounced_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
