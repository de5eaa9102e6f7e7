with

source as (

    select * from {{ source('shop', 'refunds') }}

),

parsed as (

    select
        {{ clean_text('refund_id') }} as refund_id,
        {{ clean_text('order_id') }} as order_id,
        {{ safe_cast_decimal('amount') }} as amount,
        {{ clean_text('reason') }} as reason,
        {{ safe_cast_timestamp('refunded_at') }} as refunded_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        refund_id,
        order_id,
        amount,
        reason,
        refunded_at,
        _loaded_at,
        refund_id as _natural_key,
        case
            when refund_id is null or order_id is null then 'missing_key'
            when refunded_at is null then 'invalid_timestamp'
            when amount is null then 'invalid_amount'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
