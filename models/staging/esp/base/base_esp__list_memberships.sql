{#- Other spellings of a membership status, by the allowed value they
    mean. -#}
{%- set status_aliases = {
    'subscribed': ['subscribe', 'active', 'opted_in', 'opt_in'],
    'unsubscribed': ['unsubscribe', 'opted_out', 'opt_out', 'inactive'],
} -%}

with

source as (

    select * from {{ source('esp', 'list_memberships') }}

),

parsed as (

    select
        {{ clean_text('subscriber_id') }} as subscriber_id,
        {{ clean_text('list_id') }} as list_id,
        {{ clean_text('list_name') }} as list_name,
        {{ clean_text('status') }} as status_raw,
        {{ map_category('status', status_aliases) }} as status,
        {{ clean_text('subscribed_at') }} as subscribed_at_raw,
        {{ safe_cast_timestamp('subscribed_at') }} as subscribed_at,
        {{ clean_text('unsubscribed_at') }} as unsubscribed_at_raw,
        {{ safe_cast_timestamp('unsubscribed_at') }} as unsubscribed_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        subscriber_id,
        list_id,
        list_name,
        status,
        status_raw is not null and status is null as has_invalid_status,
        subscribed_at,
        subscribed_at_raw is not null and subscribed_at is null
            as has_invalid_subscribed_at,
        unsubscribed_at,
        unsubscribed_at_raw is not null and unsubscribed_at is null
            as has_invalid_unsubscribed_at,
        updated_at,
        _loaded_at,
        {{ dbt.concat(['subscriber_id', "'|'", 'list_id']) }}
            as _natural_key,
        case
            when subscriber_id is null or list_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
