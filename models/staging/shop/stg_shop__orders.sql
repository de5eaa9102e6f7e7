with

orders as (

    select * from {{ ref('base_shop__orders') }}
    where _reject_reason is null

),

-- The shop re-sends an order whenever it changes (payment, refund,
-- cancellation): the latest edit is current, the latest load breaks a tie,
-- the row itself a last tie. The contract allows a version without an edit
-- time: it ranks below any that has one.
ranked as (

    select
        *,
        row_number() over (
            partition by order_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from orders

),

final as (

    select
        order_id,
        customer_id,
        is_guest_checkout,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        currency,
        has_invalid_currency,
        subtotal_amount,
        has_invalid_subtotal_amount,
        discount_amount,
        has_invalid_discount_amount,
        tax_amount,
        has_invalid_tax_amount,
        shipping_amount,
        has_invalid_shipping_amount,
        total_amount,
        financial_status,
        has_invalid_financial_status,
        shipping_country_code,
        has_invalid_shipping_country,
        ordered_at,
        is_cancelled,
        cancelled_at,
        has_invalid_cancelled_at,
        updated_at,
        has_invalid_updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
