with

cases as (

    select * from {{ ref('base_crm__cases') }}
    where _reject_reason is null

),

-- Each sync appends the case as it then was: the latest edit is current,
-- the latest load breaks a tie, the row itself a last tie. The contract
-- allows a version without an edit time: it ranks below any that has one.
ranked as (

    select
        *,
        row_number() over (
            partition by case_id
            order by
                updated_at desc nulls last,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from cases

),

final as (

    select
        case_id,
        contact_id,
        account_id,
        subject,
        status,
        has_invalid_status,
        priority,
        has_invalid_priority,
        channel,
        has_invalid_channel,
        satisfaction_score,
        has_invalid_satisfaction_score,
        created_at,
        closed_at,
        has_invalid_closed_at,
        updated_at,
        has_invalid_updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
