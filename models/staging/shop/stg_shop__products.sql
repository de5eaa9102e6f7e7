with

products as (

    select * from {{ ref('base_shop__products') }}
    where _reject_reason is null

),

-- The catalogue re-sends a product whenever it changes: the latest edit is
-- current, the latest load breaks a tie, the row itself a last tie. The
-- contract allows a version without an edit time: it ranks below any that
-- has one.
ranked as (

    select
        *,
        row_number() over (
            partition by product_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from products

),

final as (

    select
        product_id,
        sku,
        product_name,
        category,
        price,
        has_invalid_price,
        is_active,
        created_at,
        has_invalid_created_at,
        updated_at,
        has_invalid_updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
