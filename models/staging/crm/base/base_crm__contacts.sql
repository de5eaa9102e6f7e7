with

source as (

    select * from {{ source('crm', 'contacts') }}

),

parsed as (

    select
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ normalize_country('mailing_country') }} as country_code,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('mobile_phone') }} as mobile_phone_raw,
        {{ clean_text('title') }} as title,
        {{ clean_text('mailing_street') }} as mailing_street,
        {{ clean_text('mailing_city') }} as mailing_city,
        {{ clean_text('mailing_postal_code') }} as mailing_postal_code,
        {{ clean_category('lead_source') }} as lead_source,
        coalesce({{ safe_cast_boolean('do_not_contact') }}, false)
            as is_do_not_contact,
        coalesce({{ safe_cast_boolean('email_opt_out') }}, false)
            as is_email_opt_out,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

phones as (

    select
        *,
        {{ normalize_phone('phone_raw', 'country_code') }} as phone,
        {{ normalize_phone('mobile_phone_raw', 'country_code') }}
            as mobile_phone
    from parsed

),

final as (

    select
        contact_id,
        account_id,
        first_name,
        last_name,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        mobile_phone,
        mobile_phone_raw is not null and mobile_phone is null
            as has_invalid_mobile_phone,
        title,
        mailing_street,
        mailing_city,
        mailing_postal_code,
        country_code,
        lead_source,
        is_do_not_contact,
        is_email_opt_out,
        is_deleted,
        created_at,
        updated_at,
        _loaded_at,
        contact_id as _natural_key,
        case
            when contact_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
