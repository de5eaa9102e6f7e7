{#- Banners write a Consent Mode choice as granted/denied, as a boolean or
    as 1/0; anything else maps to null, the same as no answer. -#}
{%- set consent_mode_aliases = {
    'granted': ['true', 't', 'yes', 'y', '1'],
    'denied': ['false', 'f', 'no', 'n', '0'],
} -%}

with

source as (

    select * from {{ source('consent', 'consent_events') }}

),

parsed as (

    select
        {{ clean_text('event_id') }} as consent_event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('ad_storage') }} as ad_storage_raw,
        {{ map_category('ad_storage', consent_mode_aliases) }}
            as ad_storage,
        {{ clean_text('analytics_storage') }} as analytics_storage_raw,
        {{ map_category('analytics_storage', consent_mode_aliases) }}
            as analytics_storage,
        {{ clean_text('ad_user_data') }} as ad_user_data_raw,
        {{ map_category('ad_user_data', consent_mode_aliases) }}
            as ad_user_data,
        {{ clean_text('ad_personalization') }} as ad_personalization_raw,
        {{ map_category('ad_personalization', consent_mode_aliases) }}
            as ad_personalization,
        {{ clean_text('functionality_storage') }}
            as functionality_storage_raw,
        {{ map_category('functionality_storage', consent_mode_aliases) }}
            as functionality_storage,
        {{ clean_text('personalization_storage') }}
            as personalization_storage_raw,
        {{ map_category('personalization_storage', consent_mode_aliases) }}
            as personalization_storage,
        {{ clean_text('security_storage') }} as security_storage_raw,
        {{ map_category('security_storage', consent_mode_aliases) }}
            as security_storage,
        {{ clean_text('tcf_string') }} as tcf_string,
        {{ clean_text('gpc') }} as gpc_raw,
        {{ safe_cast_boolean('gpc') }} as has_gpc_signal,
        {{ normalize_country('country') }} as country_code,
        upper({{ clean_text('region') }}) as region_code,
        {{ safe_cast_timestamp('captured_at') }} as captured_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        consent_event_id,
        anonymous_id,
        user_id,
        email,
        has_invalid_email,
        ad_storage,
        analytics_storage,
        ad_user_data,
        ad_personalization,
        functionality_storage,
        personalization_storage,
        security_storage,
        (ad_storage_raw is not null and ad_storage is null)
        or (analytics_storage_raw is not null and analytics_storage is null)
        or (ad_user_data_raw is not null and ad_user_data is null)
        or (
            ad_personalization_raw is not null
            and ad_personalization is null
        )
        or (
            functionality_storage_raw is not null
            and functionality_storage is null
        )
        or (
            personalization_storage_raw is not null
            and personalization_storage is null
        )
        or (security_storage_raw is not null and security_storage is null)
            as has_invalid_consent_mode,
        tcf_string,
        has_gpc_signal,
        gpc_raw is not null and has_gpc_signal is null as has_invalid_gpc,
        country_code,
        region_code,
        captured_at,
        _loaded_at,
        consent_event_id as _natural_key,
        case
            when consent_event_id is null then 'missing_key'
            when captured_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
