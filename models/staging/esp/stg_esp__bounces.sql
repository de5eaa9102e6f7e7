with

bounces as (

    select * from {{ ref('base_esp__bounces') }}
    where _reject_reason is null

),

-- A bounce is immutable and the loader may land it more than once: the
-- first landing (earliest load, then the row itself) is the bounce.
ranked as (

    select
        *,
        row_number() over (
            partition by bounce_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from bounces

),

final as (

    select
        bounce_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        bounce_type,
        has_invalid_bounce_type,
        bounced_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
