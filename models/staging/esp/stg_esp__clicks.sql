{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='click_id',
    )
}}

with

clicks as (

    select * from {{ ref('base_esp__clicks') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from clicks
    where {{ not_already_staged('clicks', 'click_id', '_loaded_at') }}

),

-- A click is immutable and the loader may land it more than once: the first
-- landing (earliest load, then the row itself) is the click.
ranked as (

    select
        *,
        row_number() over (
            partition by click_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        click_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        url,
        clicked_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
