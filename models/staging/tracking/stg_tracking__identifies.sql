{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='identify_id',
    )
}}

with

identifies as (

    select * from {{ ref('base_tracking__identifies') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from identifies
    where {{ not_already_staged('identifies', 'identify_id', '_loaded_at') }}

),

-- A call is immutable and the collector may land it more than once: the
-- first landing (earliest receipt, then the row itself) is the call.
ranked as (

    select
        *,
        row_number() over (
            partition by identify_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        identify_id,
        anonymous_id,
        user_id,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        first_name,
        last_name,
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
