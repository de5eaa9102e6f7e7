{%- do validate_retention_windows() -%}

with

shop_orders as (

    select * from {{ ref('stg_shop__orders') }}

),

order_lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

refunds as (

    select * from {{ ref('stg_shop__refunds') }}

),

store_transactions as (

    select * from {{ ref('stg_offline__store_transactions') }}

),

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

retention_windows as (

    select * from {{ ref('retention_windows') }}

),

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

items_per_order as (

    select
        order_id,
        sum(quantity) as item_count
    from order_lines
    group by order_id

),

refunds_per_order as (

    select
        order_id,
        count(*) as refund_count,
        sum(amount) as refunded_amount,
        max(refunded_at) as last_refunded_at
    from refunds
    group by order_id

),

{% set null_text = 'cast(null as ' ~ dbt.type_string() ~ ')' %}

unioned as (

    select
        {{ dbt.concat(["'shop:'", 'shop_orders.order_id']) }} as order_id,
        'online' as order_channel,
        'stg_shop__orders' as source_model,
        shop_orders.order_id as source_key,
        shop_orders.customer_id,
        {{ null_text }} as loyalty_id,
        shop_orders.email,
        shop_orders.phone,
        shop_orders.is_guest_checkout,
        shop_orders.ordered_at,
        shop_orders.currency,
        shop_orders.total_amount,
        coalesce(refunds_per_order.refunded_amount, 0) as refunded_amount,
        coalesce(refunds_per_order.refund_count, 0) as refund_count,
        refunds_per_order.last_refunded_at,
        items_per_order.item_count,
        shop_orders.financial_status,
        shop_orders.is_cancelled
    from shop_orders
    left join items_per_order
        on shop_orders.order_id = items_per_order.order_id
    left join refunds_per_order
        on shop_orders.order_id = refunds_per_order.order_id
    union all
    select
        {{ dbt.concat(["'store:'", 'transaction_id']) }} as order_id,
        'store' as order_channel,
        'stg_offline__store_transactions' as source_model,
        transaction_id as source_key,
        {{ null_text }} as customer_id,
        loyalty_id,
        {{ null_text }} as email,
        {{ null_text }} as phone,
        not has_loyalty_id as is_guest_checkout,
        transacted_at as ordered_at,
        currency,
        amount as total_amount,
        0 as refunded_amount,
        0 as refund_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_refunded_at,
        item_count,
        'paid' as financial_status,
        false as is_cancelled
    from store_transactions

),

profiles_by_customer_id as (

    select
        identifier_value as customer_id,
        profile_id
    from identifiers
    where identifier_type = 'shop_customer_id'

),

profiles_by_loyalty_id as (

    select
        identifier_value as loyalty_id,
        profile_id
    from identifiers
    where identifier_type = 'loyalty_id'

),

profiles_by_email as (

    select
        identifier_value as email,
        profile_id
    from identifiers
    where identifier_type = 'email'

),

profiles_by_phone as (

    select
        identifier_value as phone,
        profile_id
    from identifiers
    where identifier_type = 'phone'

),

-- Strongest identifier first, in the order of the identifier types seed:
-- customer id, loyalty card, then (guest checkouts) email, then phone.
resolved as (

    select
        unioned.*,
        coalesce(
            profiles_by_customer_id.profile_id,
            profiles_by_loyalty_id.profile_id,
            profiles_by_email.profile_id,
            profiles_by_phone.profile_id
        ) as profile_id
    from unioned
    left join profiles_by_customer_id
        on unioned.customer_id = profiles_by_customer_id.customer_id
    left join profiles_by_loyalty_id
        on unioned.loyalty_id = profiles_by_loyalty_id.loyalty_id
    left join profiles_by_email
        on unioned.email = profiles_by_email.email
    left join profiles_by_phone
        on unioned.phone = profiles_by_phone.phone

),

final as (

    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(order_channel as {{ dbt.type_string() }}) as order_channel,
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(loyalty_id as {{ dbt.type_string() }}) as loyalty_id,
        cast(email as {{ dbt.type_string() }}) as email,
        is_guest_checkout,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(total_amount as {{ dbt.type_numeric() }}) as total_amount,
        cast(refunded_amount as {{ dbt.type_numeric() }})
            as refunded_amount,
        cast(total_amount - refunded_amount as {{ dbt.type_numeric() }})
            as net_amount,
        cast(refund_count as {{ dbt.type_bigint() }}) as refund_count,
        cast(last_refunded_at as {{ dbt.type_timestamp() }})
            as last_refunded_at,
        cast(item_count as {{ dbt.type_bigint() }}) as item_count,
        cast(financial_status as {{ dbt.type_string() }})
            as financial_status,
        is_cancelled,
        -- Revenue counts orders that were charged: not cancelled, not
        -- voided, and not left pending.
        (
            not is_cancelled
            and coalesce(financial_status, '') not in ('voided', 'pending')
        ) as is_revenue,
        cast(source_model as {{ dbt.type_string() }}) as source_model,
        cast(source_key as {{ dbt.type_string() }}) as source_key
    from resolved
    where
        {{ is_within_retention('ordered_at', 'orders') }}
        and coalesce(
            {{ sha256_hex(identity_node("'email'", 'email')) }}
            not in (select identifier_key from erasure_registry),
            true
        )
        and coalesce(
            {{ sha256_hex(identity_node("'phone'", 'phone')) }}
            not in (select identifier_key from erasure_registry),
            true
        )
        and coalesce(
            {{ sha256_hex(identity_node(
                "'shop_customer_id'", 'customer_id')) }}
            not in (select identifier_key from erasure_registry),
            true
        )
        and coalesce(
            {{ sha256_hex(identity_node("'loyalty_id'", 'loyalty_id')) }}
            not in (select identifier_key from erasure_registry),
            true
        )

)

select * from final
