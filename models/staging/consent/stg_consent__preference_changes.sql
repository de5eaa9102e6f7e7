with

preference_changes as (

    select * from {{ ref('base_consent__preference_changes') }}
    where _reject_reason is null

),

-- A change is immutable and the loader may land it more than once: the
-- first landing (earliest load, then the row itself) is the change.
ranked as (

    select
        *,
        row_number() over (
            partition by preference_change_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from preference_changes

),

final as (

    select
        preference_change_id,
        email,
        has_invalid_email,
        user_id,
        purpose,
        choice,
        has_invalid_choice,
        captured_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
