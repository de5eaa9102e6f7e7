{#- Other spellings of a preference-centre choice, by the allowed value
    they mean. -#}
{%- set choice_aliases = {
    'opt_in': [
        'optin', 'opted_in', 'in', 'subscribe', 'subscribed', 'granted',
        'yes', 'y', 'true', '1'],
    'opt_out': [
        'optout', 'opted_out', 'out', 'unsubscribe', 'unsubscribed',
        'denied', 'no', 'n', 'false', '0'],
} -%}

with

source as (

    select * from {{ source('consent', 'preference_changes') }}

),

parsed as (

    select
        {{ clean_text('change_id') }} as preference_change_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_category('purpose') }} as purpose,
        {{ clean_text('choice') }} as choice_raw,
        {{ map_category('choice', choice_aliases) }} as choice,
        {{ safe_cast_timestamp('captured_at') }} as captured_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        preference_change_id,
        email,
        has_invalid_email,
        user_id,
        purpose,
        choice,
        choice_raw is not null and choice is null as has_invalid_choice,
        captured_at,
        _loaded_at,
        preference_change_id as _natural_key,
        case
            when preference_change_id is null then 'missing_key'
            when captured_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
