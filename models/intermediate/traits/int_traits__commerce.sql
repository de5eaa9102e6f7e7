with

orders as (

    select * from {{ ref('fct_orders') }}

),

-- Only what had happened at the as-of time counts, so that a build as of
-- a past date gives the traits that date had.
past_orders as (

    select * from orders
    where
        profile_id is not null
        and ordered_at <= {{ cdp_as_of() }}

),

per_profile as (

    select
        profile_id,
        sum(case when is_revenue then 1 else 0 end) as order_count,
        sum(case when is_revenue then total_amount else 0 end) as revenue,
        sum(refund_count) as refund_count,
        sum(refunded_amount) as refunded_amount,
        count(distinct currency) as currency_count,
        min(case when is_revenue then ordered_at end) as first_order_at,
        max(case when is_revenue then ordered_at end) as last_order_at
    from past_orders
    group by profile_id

),

customers as (

    select
        *,
        revenue - refunded_amount as net_revenue,
        {{ dbt.datediff('last_order_at', cdp_as_of(), 'day') }}
            as recency_days
    from per_profile
    where order_count > 0

),

-- RFM scores are quintiles of the customers by rank: score
-- 1 + floor(5 * (rank - 1) / customers), so that equal values share a
-- score (a plain ntile would split a tie across two scores) and 5 is the
-- best fifth: the most recent, the most orders, the most net revenue.
ranked as (

    select
        *,
        rank() over (order by recency_days desc) as recency_rank,
        rank() over (order by order_count) as frequency_rank,
        rank() over (order by net_revenue) as monetary_rank,
        count(*) over () as customer_count
    from customers

),

final as (

    select
        profile_id,
        cast(order_count as {{ dbt.type_bigint() }}) as order_count,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        cast(refund_count as {{ dbt.type_bigint() }}) as refund_count,
        cast(refunded_amount as {{ dbt.type_numeric() }}) as refunded_amount,
        cast(net_revenue as {{ dbt.type_numeric() }}) as net_revenue,
        cast(revenue / order_count as {{ dbt.type_numeric() }})
            as average_order_value,
        cast(currency_count as {{ dbt.type_bigint() }}) as currency_count,
        first_order_at,
        last_order_at,
        cast(recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(
            1 + floor(5.0 * (recency_rank - 1) / customer_count)
            as {{ dbt.type_int() }}
        ) as recency_score,
        cast(
            1 + floor(5.0 * (frequency_rank - 1) / customer_count)
            as {{ dbt.type_int() }}
        ) as frequency_score,
        cast(
            1 + floor(5.0 * (monetary_rank - 1) / customer_count)
            as {{ dbt.type_int() }}
        ) as monetary_score
    from ranked

)

select * from final
