with

order_lines as (

    select * from {{ ref('base_shop__order_lines') }}
    where _reject_reason is null

),

-- An order line has no versions in the contract: a repeat is the same line
-- sent again, so the first landing is kept.
ranked as (

    select
        *,
        row_number() over (
            partition by order_line_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from order_lines

),

final as (

    select
        order_line_id,
        order_id,
        product_id,
        sku,
        quantity,
        has_invalid_quantity,
        unit_price,
        has_invalid_unit_price,
        discount_amount,
        has_invalid_discount_amount,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
