with

unsubscribes as (

    select * from {{ ref('base_esp__unsubscribes') }}
    where _reject_reason is null

),

-- An unsubscribe is immutable and the loader may land it more than once: the
-- first landing (earliest load, then the row itself) is the unsubscribe.
ranked as (

    select
        *,
        row_number() over (
            partition by unsubscribe_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from unsubscribes

),

final as (

    select
        unsubscribe_id,
        subscriber_id,
        email,
        has_invalid_email,
        campaign_id,
        list_id,
        is_all_lists,
        reason,
        unsubscribed_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
