with

ad_performance as (

    select * from {{ ref('base_media__ad_performance') }}
    where _reject_reason is null

),

-- The platforms restate recent days as conversions come in, and the loader
-- pulls such a day again: the latest pull holds the final figures. The row
-- itself breaks a tie between pulls landed at the same time.
ranked as (

    select
        *,
        row_number() over (
            partition by _natural_key
            order by _loaded_at desc nulls last, _raw_row desc
        ) as pull_rank
    from ad_performance

),

final as (

    select
        platform,
        has_unknown_platform,
        ad_account_id,
        campaign_id,
        campaign_name,
        report_date,
        currency,
        has_invalid_currency,
        spend,
        has_invalid_spend,
        impressions,
        has_invalid_impressions,
        clicks,
        has_invalid_clicks,
        conversions,
        has_invalid_conversions,
        conversion_value,
        has_invalid_conversion_value,
        _loaded_at
    from ranked
    where pull_rank = 1

)

select * from final
