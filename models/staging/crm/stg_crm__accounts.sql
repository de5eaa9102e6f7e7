with

accounts as (

    select * from {{ ref('base_crm__accounts') }}
    where _reject_reason is null

),

-- Each CRM sync appends the record as it then was: the latest edit is the
-- current account, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by account_id
            order by
                updated_at desc,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from accounts

),

final as (

    select
        account_id,
        account_name,
        website,
        website_domain,
        has_invalid_website,
        industry,
        employee_count,
        has_invalid_employee_count,
        annual_revenue,
        has_invalid_annual_revenue,
        country_code,
        has_invalid_country,
        owner_id,
        is_deleted,
        created_at,
        has_invalid_created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
