with

complaints as (

    select * from {{ ref('base_esp__complaints') }}
    where _reject_reason is null

),

-- A complaint is immutable and the loader may land it more than once: the
-- first landing (earliest load, then the row itself) is the complaint.
ranked as (

    select
        *,
        row_number() over (
            partition by complaint_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from complaints

),

final as (

    select
        complaint_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        complained_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
