with

source as (

    select * from {{ source('shop', 'order_lines') }}

),

parsed as (

    select
        {{ clean_text('order_line_id') }} as order_line_id,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('quantity') }} as quantity_raw,
        {{ safe_cast_integer('quantity') }} as quantity,
        {{ clean_text('unit_price') }} as unit_price_raw,
        {{ safe_cast_decimal('unit_price') }} as unit_price,
        {{ clean_text('discount_amount') }} as discount_amount_raw,
        {{ safe_cast_decimal('discount_amount') }} as discount_amount,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        order_line_id,
        order_id,
        product_id,
        sku,
        quantity,
        quantity_raw is not null and quantity is null as has_invalid_quantity,
        unit_price,
        unit_price_raw is not null and unit_price is null
            as has_invalid_unit_price,
        discount_amount,
        discount_amount_raw is not null and discount_amount is null
            as has_invalid_discount_amount,
        _loaded_at,
        order_line_id as _natural_key,
        case
            when order_line_id is null or order_id is null then 'missing_key'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
