{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='send_id',
    )
}}

with

sends as (

    select * from {{ ref('base_esp__sends') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from sends
    where {{ not_already_staged('sends', 'send_id', '_loaded_at') }}

),

-- A send is immutable and the loader may land it more than once: the first
-- landing (earliest load, then the row itself) is the send.
ranked as (

    select
        *,
        row_number() over (
            partition by send_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        send_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        campaign_name,
        sent_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
