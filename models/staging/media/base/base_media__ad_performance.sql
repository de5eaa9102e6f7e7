{#- Platform names as reporting connectors write them, mapped onto the
    three of the media contract. -#}
{%- set platform_aliases = {
    'google_ads': ['google', 'googleads', 'adwords', 'google_adwords'],
    'meta': ['facebook', 'facebook_ads', 'fb', 'meta_ads', 'instagram'],
    'linkedin': ['linkedin_ads', 'linked_in'],
} -%}

with

source as (

    select * from {{ source('media', 'ad_performance') }}

),

parsed as (

    select
        {{ map_category('platform', platform_aliases) }} as listed_platform,
        {{ category_key('platform') }} as platform_key,
        {{ clean_text('ad_account_id') }} as ad_account_id,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('campaign_name') }} as campaign_name,
        -- The day a report covers is a calendar day of the ad account: only
        -- its date part is read, as an offset must not move it to UTC.
        {{ safe_cast_date('substring(trim(report_date), 1, 10)') }}
            as report_date,
        {{ clean_text('currency') }} as currency_raw,
        {{ normalize_currency('currency') }} as currency,
        {{ clean_text('spend') }} as spend_raw,
        {{ safe_cast_decimal('spend') }} as spend,
        {{ clean_text('impressions') }} as impressions_raw,
        {{ safe_cast_integer('impressions') }} as impressions,
        {{ clean_text('clicks') }} as clicks_raw,
        {{ safe_cast_integer('clicks') }} as clicks,
        {{ clean_text('conversions') }} as conversions_raw,
        -- Platforms share one conversion among several clicks (data-driven
        -- attribution), so a day's conversions are fractional.
        {{ safe_cast_decimal('conversions') }} as conversions,
        {{ clean_text('conversion_value') }} as conversion_value_raw,
        {{ safe_cast_decimal('conversion_value') }} as conversion_value,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

-- A platform missing from the contract is kept under its own name rather
-- than dropped or merged into another, so that no spend goes missing; it
-- is flagged for the list to be extended.
platforms as (

    select
        *,
        coalesce(listed_platform, platform_key) as platform
    from parsed

),

final as (

    select
        platform,
        platform_key is not null and listed_platform is null
            as has_unknown_platform,
        ad_account_id,
        campaign_id,
        campaign_name,
        report_date,
        currency,
        currency_raw is not null and currency is null as has_invalid_currency,
        spend,
        spend_raw is not null and spend is null as has_invalid_spend,
        impressions,
        impressions_raw is not null and impressions is null
            as has_invalid_impressions,
        clicks,
        clicks_raw is not null and clicks is null as has_invalid_clicks,
        conversions,
        conversions_raw is not null and conversions is null
            as has_invalid_conversions,
        conversion_value,
        conversion_value_raw is not null and conversion_value is null
            as has_invalid_conversion_value,
        _loaded_at,
        {{ dbt.concat([
            'platform', "'|'", 'campaign_id', "'|'",
            dbt.cast('report_date', dbt.type_string())]) }} as _natural_key,
        case
            when platform is null or campaign_id is null then 'missing_key'
            when report_date is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from platforms

)

select * from final
