{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='open_id',
    )
}}

with

opens as (

    select * from {{ ref('base_esp__opens') }}
    where
        _reject_reason is null
        and {{ incremental_window('_loaded_at') }}

),

not_yet_staged as (

    select * from opens
    where {{ not_already_staged('opens', 'open_id', '_loaded_at') }}

),

-- An open is immutable and the loader may land it more than once: the first
-- landing (earliest load, then the row itself) is the open.
ranked as (

    select
        *,
        row_number() over (
            partition by open_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from not_yet_staged

),

final as (

    select
        open_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        user_agent,
        opened_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
