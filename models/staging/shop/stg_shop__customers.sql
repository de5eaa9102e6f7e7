with

customers as (

    select * from {{ ref('base_shop__customers') }}
    where _reject_reason is null

),

-- The shop re-sends a customer whenever it changes: the latest edit is
-- current, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by
                updated_at desc,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from customers

),

final as (

    select
        customer_id,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        first_name,
        last_name,
        has_accepted_marketing,
        city,
        postal_code,
        country_code,
        has_invalid_country,
        created_at,
        has_invalid_created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
