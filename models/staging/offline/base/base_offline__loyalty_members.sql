with

source as (

    select * from {{ source('offline', 'loyalty_members') }}

),

parsed as (

    select
        {{ clean_text('loyalty_id') }} as loyalty_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('postal_code') }} as postal_code,
        {{ clean_text('country') }} as country_raw,
        {{ normalize_country('country') }} as country_code,
        {{ clean_text('enrolled_at') }} as enrolled_at_raw,
        {{ safe_cast_timestamp('enrolled_at') }} as enrolled_at,
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
        loyalty_id,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        first_name,
        last_name,
        postal_code,
        country_code,
        country_raw is not null and country_code is null
            as has_invalid_country,
        enrolled_at,
        enrolled_at_raw is not null and enrolled_at is null
            as has_invalid_enrolled_at,
        updated_at,
        _loaded_at,
        loyalty_id as _natural_key,
        case
            when loyalty_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
