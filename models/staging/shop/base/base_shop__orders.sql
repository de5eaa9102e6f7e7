{#- Payment states as shop platforms name them, mapped onto the five of
    the shop contract. -#}
{%- set financial_status_aliases = {
    'paid': ['captured', 'settled'],
    'pending': ['authorized', 'unpaid', 'awaiting_payment'],
    'refunded': ['fully_refunded'],
    'partially_refunded': ['partial_refund', 'partly_refunded'],
    'voided': ['void'],
} -%}

with

source as (

    select * from {{ source('shop', 'orders') }}

),

parsed as (

    select
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('customer_id') }} as customer_id,
        {{ normalize_email('email') }} as email,
        {{ is_invalid_email('email') }} as has_invalid_email,
        {{ clean_text('phone') }} as phone_raw,
        {{ clean_text('currency') }} as currency_raw,
        {{ normalize_currency('currency') }} as currency,
        {{ clean_text('subtotal_amount') }} as subtotal_amount_raw,
        {{ safe_cast_decimal('subtotal_amount') }} as subtotal_amount,
        {{ clean_text('discount_amount') }} as discount_amount_raw,
        {{ safe_cast_decimal('discount_amount') }} as discount_amount,
        {{ clean_text('tax_amount') }} as tax_amount_raw,
        {{ safe_cast_decimal('tax_amount') }} as tax_amount,
        {{ clean_text('shipping_amount') }} as shipping_amount_raw,
        {{ safe_cast_decimal('shipping_amount') }} as shipping_amount,
        {{ safe_cast_decimal('total_amount') }} as total_amount,
        {{ clean_text('financial_status') }} as financial_status_raw,
        {{ map_category('financial_status', financial_status_aliases) }}
            as financial_status,
        {{ clean_text('shipping_country') }} as shipping_country_raw,
        {{ normalize_country('shipping_country') }}
            as shipping_country_code,
        {{ safe_cast_timestamp('ordered_at') }} as ordered_at,
        {{ clean_text('cancelled_at') }} as cancelled_at_raw,
        {{ safe_cast_timestamp('cancelled_at') }} as cancelled_at,
        {{ clean_text('updated_at') }} as updated_at_raw,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

phones as (

    select
        *,
        {{ normalize_phone('phone_raw', 'shipping_country_code') }} as phone
    from parsed

),

final as (

    select
        order_id,
        customer_id,
        -- A guest checks out without an account; the order is kept and
        -- can still be tied to a person through its email or phone.
        customer_id is null as is_guest_checkout,
        email,
        has_invalid_email,
        phone,
        phone_raw is not null and phone is null as has_invalid_phone,
        currency,
        currency_raw is not null and currency is null as has_invalid_currency,
        subtotal_amount,
        subtotal_amount_raw is not null and subtotal_amount is null
            as has_invalid_subtotal_amount,
        discount_amount,
        discount_amount_raw is not null and discount_amount is null
            as has_invalid_discount_amount,
        tax_amount,
        tax_amount_raw is not null and tax_amount is null
            as has_invalid_tax_amount,
        shipping_amount,
        shipping_amount_raw is not null and shipping_amount is null
            as has_invalid_shipping_amount,
        total_amount,
        financial_status,
        financial_status_raw is not null and financial_status is null
            as has_invalid_financial_status,
        shipping_country_code,
        shipping_country_raw is not null and shipping_country_code is null
            as has_invalid_shipping_country,
        ordered_at,
        cancelled_at_raw is not null as is_cancelled,
        cancelled_at,
        cancelled_at_raw is not null and cancelled_at is null
            as has_invalid_cancelled_at,
        updated_at,
        updated_at_raw is not null and updated_at is null
            as has_invalid_updated_at,
        _loaded_at,
        order_id as _natural_key,
        case
            when order_id is null then 'missing_key'
            when ordered_at is null then 'invalid_timestamp'
            when total_amount is null then 'invalid_amount'
        end as _reject_reason,
        _raw_row
    from phones

)

select * from final
