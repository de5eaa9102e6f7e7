with

source as (

    select * from {{ source('shop', 'customers') }}

),

parsed as (

    select
        {{ clean_text('customer_id') }} as customer_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        -- Marketing needs an explicit opt-in: anything else counts as none.
        coalesce({{ safe_cast_boolean('accepts_marketing') }}, false)
            as has_accepted_marketing,
        {{ clean_text('city') }} as city,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('country') }} as country_raw,
        {{ normalize_country('country') }} as country_code,
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
        customer_id,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        first_name,
        last_name,
        has_accepted_marketing,
        city,
        postal_code,
        country_code,
        country_raw is not null and country_code is null
            as has_invalid_country,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        _loaded_at,
        customer_id as _natural_key,
        case
            when customer_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
