with

store_transactions as (

    select * from {{ ref('base_offline__store_transactions') }}
    where _reject_reason is null

),

-- A till transaction never changes once rung up: a repeat is the same
-- sale sent again, so the first landing is kept.
ranked as (

    select
        *,
        row_number() over (
            partition by transaction_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from store_transactions

),

final as (

    select
        transaction_id,
        loyalty_id,
        has_loyalty_id,
        store_id,
        store_country_code,
        has_invalid_store_country,
        amount,
        currency,
        has_invalid_currency,
        item_count,
        has_invalid_item_count,
        transacted_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
