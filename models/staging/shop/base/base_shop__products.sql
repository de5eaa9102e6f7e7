with

source as (

    select * from {{ source('shop', 'products') }}

),

parsed as (

    select
        {{ clean_text('product_id') }} as product_id,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('product_name') }} as product_name,
        {{ clean_text('category') }} as category,
        {{ clean_text('price') }} as price_raw,
        {{ safe_cast_decimal('price') }} as price,
        {{ safe_cast_boolean('is_active') }} as is_active,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        product_id,
        sku,
        product_name,
        category,
        price,
        price_raw is not null and price is null as has_invalid_price,
        is_active,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        updated_at_raw is not null and updated_at is null
            as has_invalid_updated_at,
        _loaded_at,
        product_id as _natural_key,
        case
            when product_id is null then 'missing_key'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
