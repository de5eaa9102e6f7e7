{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='track_id',
    )
}}

with

tracks as (

    select * from {{ ref('base_tracking__tracks') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from tracks
    where {{ not_already_staged('tracks', 'track_id', '_loaded_at') }}

),

-- An event is immutable and the collector may land it more than once: the
-- first landing (earliest receipt, then the row itself) is the event.
ranked as (

    select
        *,
        row_number() over (
            partition by track_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        track_id,
        anonymous_id,
        user_id,
        original_event_name,
        event_name,
        event_text,
        properties,
        ip_address,
        user_agent,
        page_url,
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
