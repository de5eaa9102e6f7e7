{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='page_id',
    )
}}

with

pages as (

    select * from {{ ref('base_tracking__pages') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from pages
    where {{ not_already_staged('pages', 'page_id', '_loaded_at') }}

),

-- A page view is immutable and the collector may land it more than once:
-- the first landing (earliest receipt, then the row itself) is the view.
ranked as (

    select
        *,
        row_number() over (
            partition by page_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        page_id,
        anonymous_id,
        user_id,
        page_name,
        url,
        url_path,
        url_query,
        referrer,
        title,
        utm_source,
        utm_medium,
        utm_campaign,
        ip_address,
        user_agent,
        browser_locale,
        event_at,
        reported_at,
        has_invalid_timestamp,
        is_future_dated,
        sent_at,
        has_invalid_sent_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
