with

activities as (

    select * from {{ ref('base_crm__activities') }}
    where _reject_reason is null

),

-- A logged activity is an event that has no versions: a repeat is the same
-- activity sent again, so the first landing is kept.
ranked as (

    select
        *,
        row_number() over (
            partition by activity_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from activities

),

final as (

    select
        activity_id,
        activity_type,
        has_invalid_activity_type,
        contact_id,
        lead_id,
        account_id,
        subject,
        occurred_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
