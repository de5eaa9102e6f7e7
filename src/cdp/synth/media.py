"""Paid media results per platform, campaign and day.

The ad platforms' reporting APIs are pulled every morning for the last
three days, because their figures (conversions above all) keep changing
as attribution catches up: each report day lands three times, each time
with a later _loaded_at and newer figures.
"""

from __future__ import annotations

from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY, str_list
from cdp.synth.timeline import landed

# (platform, ad account, currency, campaign names, daily spend)
PLATFORMS = (
    (
        "google_ads",
        "123-456-7890",
        "EUR",
        (
            "Brand - EU",
            "Generic - Outdoor",
            "Shopping - All",
            "PMax - Home",
            "Remarketing - EU",
            "Brand - DACH",
        ),
        420.0,
    ),
    (
        "google_ads",
        "987-654-3210",
        "USD",
        ("Brand - US", "Generic - Outdoor US", "Shopping - US", "PMax - US"),
        510.0,
    ),
    (
        "meta",
        "act_10150001",
        "EUR",
        (
            "Prospecting - Lookalike",
            "Retargeting - Cart",
            "Catalog - Dynamic",
            "Creator Collab",
        ),
        300.0,
    ),
    (
        "meta",
        "act_10150002",
        "USD",
        ("Prospecting - US", "Retargeting - US", "Catalog - US"),
        280.0,
    ),
    (
        "linkedin",
        "508001234",
        "EUR",
        ("ABM - Enterprise", "Lead Gen - Demo", "Thought Leadership"),
        190.0,
    ),
)
PULLS = 3
# Share of the final conversions reported on each pull.
CONVERSION_MATURITY = (0.78, 0.94, 1.0)


def _campaigns() -> str:
    rows = []
    index = 0
    for platform, account, currency, names, spend in PLATFORMS:
        for name in names:
            rows.append(
                f"({index}, '{platform}', '{account}', '{currency}', '{name}', {spend})"
            )
            index += 1
    return (
        "select * from (values " + ", ".join(rows) + ") "
        "t(c, platform, ad_account_id, currency, campaign_name, daily_spend)"
    )


def global_tables(batch: Batch) -> dict[str, str]:
    first_day = max(batch.span_start, 0) // SECONDS_PER_DAY - PULLS
    last_day = batch.w1 // SECONDS_PER_DAY
    maturity = str_list(str(m) for m in CONVERSION_MATURITY).replace("'", "")
    return {
        "ad_performance": f"""
        with days as (
            select campaigns.*, d
            from ({_campaigns()}) campaigns,
                range({max(first_day, 0)}, {last_day}) t(d)
            -- Campaigns are paused on some days.
            where u2(c, d, 'active') < 0.9
        ),
        pulls as (
            select *, unnest(range({PULLS})) as j,
                daily_spend * (0.5 + u2(c, d, 'spend')) as spend,
                (daily_spend * (0.5 + u2(c, d, 'spend')) * (300 + u1(c, 'cpm') * 900))
                    ::bigint as impressions
            from days
        ),
        figures as (
            select *,
                ((d + 1 + j) * {SECONDS_PER_DAY} + 5 * 3600
                    + floor(u3(c, d, j, 'pull_t') * 3600))::bigint as loaded_t,
                (impressions * (0.006 + u2(c, d, 'ctr') * 0.02))::bigint as clicks,
                {maturity}[j + 1] * (impressions * (0.006 + u2(c, d, 'ctr') * 0.02))
                    * (0.02 + u1(c, 'cvr') * 0.05) as conversions
            from pulls
        )
        select
            platform,
            ad_account_id,
            key_mess(cast(20000000000 + c * 7919 as varchar), u3(c, d, j, 'media_key'))
                as campaign_id,
            case when u3(c, d, j, 'name_case') < 0.05 then lower(campaign_name)
                else campaign_name end as campaign_name,
            ts_text(cast(ts_at(d * {SECONDS_PER_DAY}) as date),
                u3(c, d, j, 'report_date'), day_of(d * {SECONDS_PER_DAY}), 0)
                as report_date,
            currency,
            amount_mess(spend, u3(c, d, j, 'spend_fmt'), currency_symbol(currency))
                as spend,
            cast(impressions as varchar) as impressions,
            cast(clicks as varchar) as clicks,
            amount(conversions) as conversions,
            amount(conversions * (40 + u1(c, 'aov') * 80)) as conversion_value,
            loaded(loaded_t) as _loaded_at
        from figures
        where {landed(batch, "loaded_t")}
        order by c, d, j
        """
    }
