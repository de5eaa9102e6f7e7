{#- Request types and statuses as privacy portals and the laws name them,
    mapped onto the values of the privacy contract. -#}
{%- set request_type_aliases = {
    'deletion': ['delete', 'deletion_request', 'erasure', 'erase',
                 'right_to_erasure', 'right_to_be_forgotten', 'rtbf',
                 'forget'],
    'access': ['access_request', 'dsar', 'subject_access_request',
               'right_to_access', 'right_to_know', 'export'],
    'opt_out': ['optout', 'opt_out_of_sale', 'do_not_sell',
                'do_not_sell_or_share', 'do_not_sell_my_personal_information',
                'object', 'objection'],
} -%}
{%- set status_aliases = {
    'received': ['new', 'open', 'submitted', 'pending'],
    'verified': ['identity_verified', 'in_progress', 'processing'],
    'completed': ['complete', 'done', 'fulfilled'],
    'rejected': ['denied', 'declined', 'refused'],
} -%}

with

source as (

    select * from {{ source('privacy', 'requests') }}

),

parsed as (

    select
        {{ clean_text('request_id') }} as request_id,
        {{ clean_text('request_type') }} as request_type_raw,
        {{ map_category('request_type', request_type_aliases) }}
            as request_type,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        -- The portal asks for no country, so only a number written in an
        -- international format (+ or 00) can be read.
        {{ normalize_phone(
            'phone', 'cast(null as ' ~ dbt.type_string() ~ ')') }} as phone,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_category('jurisdiction') }} as jurisdiction,
        {{ clean_text('status') }} as status_raw,
        {{ map_category('status', status_aliases) }} as status,
        {{ safe_cast_timestamp('requested_at') }} as requested_at,
        {{ clean_text('completed_at') }} as completed_at_raw,
        {{ safe_cast_timestamp('completed_at') }} as completed_at,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        request_id,
        request_type,
        request_type_raw is not null and request_type is null
            as has_invalid_request_type,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        user_id,
        customer_id,
        jurisdiction,
        status,
        status_raw is not null and status is null as has_invalid_status,
        requested_at,
        completed_at,
        completed_at_raw is not null and completed_at is null
            as has_invalid_completed_at,
        updated_at,
        updated_at_raw is not null and updated_at is null
            as has_invalid_updated_at,
        _loaded_at,
        request_id as _natural_key,
        case
            when request_id is null then 'missing_key'
            when requested_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
