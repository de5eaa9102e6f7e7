with

requests as (

    select * from {{ ref('base_privacy__requests') }}
    where _reject_reason is null

),

-- The portal re-sends a request at each step of its handling: the latest
-- edit is current, the latest load breaks a tie, the row itself a last
-- tie. The contract allows a version without an edit time: it ranks below
-- any that has one.
ranked as (

    select
        *,
        row_number() over (
            partition by request_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from requests

),

final as (

    select
        request_id,
        request_type,
        has_invalid_request_type,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        user_id,
        customer_id,
        jurisdiction,
        status,
        has_invalid_status,
        requested_at,
        completed_at,
        has_invalid_completed_at,
        updated_at,
        has_invalid_updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
