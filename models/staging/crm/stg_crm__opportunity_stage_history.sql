with

stage_changes as (

    select * from {{ ref('base_crm__opportunity_stage_history') }}
    where _reject_reason is null

),

-- A stage change never changes once recorded: a repeat is the same change
-- sent again, so the first landing is kept and later copies are dropped.
ranked as (

    select
        *,
        row_number() over (
            partition by history_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from stage_changes

),

final as (

    select
        history_id,
        opportunity_id,
        stage_name,
        has_invalid_stage_name,
        amount,
        has_invalid_amount,
        changed_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
