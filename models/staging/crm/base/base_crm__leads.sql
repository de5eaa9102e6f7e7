{#- Lead statuses as Salesforce and HubSpot name them, mapped onto the six
    of the CRM contract. -#}
{%- set status_aliases = {
    'new': ['open', 'open_not_contacted'],
    'working': ['working_contacted', 'contacted', 'in_progress',
                'attempted_to_contact', 'connected'],
    'mql': ['marketing_qualified', 'marketing_qualified_lead'],
    'sql': ['sales_qualified', 'sales_qualified_lead'],
    'converted': ['closed_converted'],
    'disqualified': ['closed_not_converted', 'unqualified', 'bad_timing'],
} -%}

with

source as (

    select * from {{ source('crm', 'leads') }}

),

parsed as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('company') }} as company,
        {{ clean_text('title') }} as title,
        {{ clean_text('country') }} as country_raw,
        {{ normalize_country('country') }} as country_code,
        {{ clean_text('status') }} as status_raw,
        {{ map_category('status', status_aliases) }} as status,
        {{ clean_category('lead_source') }} as lead_source,
        {{ clean_text('converted_contact_id') }} as converted_contact_id,
        {{ clean_text('converted_at') }} as converted_at_raw,
        {{ safe_cast_timestamp('converted_at') }} as converted_at,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
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
        lead_id,
        first_name,
        last_name,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        company,
        title,
        country_code,
        country_raw is not null and country_code is null
            as has_invalid_country,
        status,
        status_raw is not null and status is null as has_invalid_status,
        lead_source,
        converted_contact_id,
        converted_at,
        converted_at_raw is not null and converted_at is null
            as has_invalid_converted_at,
        is_deleted,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        _loaded_at,
        lead_id as _natural_key,
        case
            when lead_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
