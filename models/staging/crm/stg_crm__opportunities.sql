with

opportunities as (

    select * from {{ ref('base_crm__opportunities') }}
    where _reject_reason is null

),

-- Each CRM sync appends the record as it then was: the latest edit is the
-- current deal, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by opportunity_id
            order by
                updated_at desc,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from opportunities

),

final as (

    select
        opportunity_id,
        account_id,
        contact_id,
        opportunity_name,
        stage_name,
        has_invalid_stage_name,
        is_closed,
        is_won,
        amount,
        has_invalid_amount,
        currency,
        has_invalid_currency,
        probability,
        has_invalid_probability,
        close_date,
        has_invalid_close_date,
        is_deleted,
        created_at,
        has_invalid_created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
