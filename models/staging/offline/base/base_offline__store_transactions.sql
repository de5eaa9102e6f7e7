with

source as (

    select * from {{ source('offline', 'store_transactions') }}

),

parsed as (

    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ clean_text('loyalty_id') }} as loyalty_id,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('store_country') }} as store_country_raw,
        {{ normalize_country('store_country') }} as store_country_code,
        {{ safe_cast_decimal('amount') }} as amount,
        {{ clean_text('currency') }} as currency_raw,
        {{ normalize_currency('currency') }} as currency,
        {{ clean_text('item_count') }} as item_count_raw,
        {{ safe_cast_integer('item_count') }} as item_count,
        -- Tills stamp local time with its offset; the offset makes it UTC.
        {{ safe_cast_timestamp('transacted_at') }} as transacted_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        transaction_id,
        loyalty_id,
        -- A sale without a scanned card cannot be tied to a person.
        loyalty_id is not null as has_loyalty_id,
        store_id,
        store_country_code,
        store_country_raw is not null and store_country_code is null
            as has_invalid_store_country,
        amount,
        currency,
        currency_raw is not null and currency is null as has_invalid_currency,
        item_count,
        item_count_raw is not null and item_count is null
            as has_invalid_item_count,
        transacted_at,
        _loaded_at,
        transaction_id as _natural_key,
        case
            when transaction_id is null then 'missing_key'
            when transacted_at is null then 'invalid_timestamp'
            when amount is null then 'invalid_amount'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
