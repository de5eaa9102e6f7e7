with

loyalty_members as (

    select * from {{ ref('base_offline__loyalty_members') }}
    where _reject_reason is null

),

-- The loyalty system re-sends a member whenever the record changes: the
-- latest edit is current, the latest load breaks a tie, the row itself a
-- last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by loyalty_id
            order by
                updated_at desc,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from loyalty_members

),

final as (

    select
        loyalty_id,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        first_name,
        last_name,
        postal_code,
        country_code,
        has_invalid_country,
        enrolled_at,
        has_invalid_enrolled_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
