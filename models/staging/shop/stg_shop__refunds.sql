with

refunds as (

    select * from {{ ref('base_shop__refunds') }}
    where _reject_reason is null

),

-- A refund is an event that has no versions: a repeat is the same refund
-- sent again, so the first landing is kept.
ranked as (

    select
        *,
        row_number() over (
            partition by refund_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from refunds

),

final as (

    select
        refund_id,
        order_id,
        amount,
        reason,
        refunded_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
