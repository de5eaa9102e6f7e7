{#- Activity types as CRMs name them, mapped onto the four of the CRM
    contract. -#}
{%- set activity_type_aliases = {
    'call': ['phone_call', 'phone', 'logged_call'],
    'meeting': ['event', 'appointment'],
    'email': ['e_mail', 'logged_email'],
    'task': ['todo', 'to_do'],
} -%}

with

source as (

    select * from {{ source('crm', 'activities') }}

),

parsed as (

    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('activity_type') }} as activity_type_raw,
        {{ map_category('activity_type', activity_type_aliases) }}
            as activity_type,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('subject') }} as subject,
        {{ safe_cast_timestamp('occurred_at') }} as occurred_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        activity_id,
        activity_type,
        activity_type_raw is not null and activity_type is null
            as has_invalid_activity_type,
        contact_id,
        lead_id,
        account_id,
        subject,
        occurred_at,
        _loaded_at,
        activity_id as _natural_key,
        case
            when activity_id is null then 'missing_key'
            when occurred_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
