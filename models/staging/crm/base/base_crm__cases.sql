{#- Case statuses, priorities and channels as service tools name them,
    mapped onto the values of the CRM contract. -#}
{%- set status_aliases = {
    'new': ['created', 'submitted'],
    'open': ['working', 'in_progress', 'escalated'],
    'pending': ['on_hold', 'waiting', 'waiting_on_customer'],
    'closed': ['resolved', 'solved', 'done'],
} -%}
{%- set priority_aliases = {
    'low': ['p4'],
    'medium': ['normal', 'p3'],
    'high': ['p2'],
    'urgent': ['critical', 'p1'],
} -%}
{%- set channel_aliases = {
    'email': ['e_mail', 'mail'],
    'phone': ['call', 'voice', 'telephone'],
    'chat': ['live_chat', 'messaging'],
    'web': ['web_form', 'webform', 'portal'],
} -%}

with

source as (

    select * from {{ source('crm', 'cases') }}

),

parsed as (

    select
        {{ clean_text('case_id') }} as case_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('subject') }} as subject,
        {{ clean_text('status') }} as status_raw,
        {{ map_category('status', status_aliases) }} as status,
        {{ clean_text('priority') }} as priority_raw,
        {{ map_category('priority', priority_aliases) }} as priority,
        {{ clean_text('channel') }} as channel_raw,
        {{ map_category('channel', channel_aliases) }} as channel,
        {{ clean_text('satisfaction_score') }} as satisfaction_score_raw,
        {{ safe_cast_integer('satisfaction_score') }}
            as satisfaction_score_parsed,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ clean_text('closed_at') }} as closed_at_raw,
        {{ safe_cast_timestamp('closed_at') }} as closed_at,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        case_id,
        contact_id,
        account_id,
        subject,
        status,
        status_raw is not null and status is null as has_invalid_status,
        priority,
        priority_raw is not null and priority is null as has_invalid_priority,
        channel,
        channel_raw is not null and channel is null as has_invalid_channel,
        case
            when satisfaction_score_parsed between 1 and 5
                then satisfaction_score_parsed
        end as satisfaction_score,
        satisfaction_score_raw is not null
        and coalesce(satisfaction_score_parsed not between 1 and 5, true)
            as has_invalid_satisfaction_score,
        created_at,
        closed_at,
        closed_at_raw is not null and closed_at is null
            as has_invalid_closed_at,
        updated_at,
        updated_at_raw is not null and updated_at is null
            as has_invalid_updated_at,
        _loaded_at,
        case_id as _natural_key,
        case
            when case_id is null then 'missing_key'
            when created_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
