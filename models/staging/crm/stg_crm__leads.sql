with

leads as (

    select * from {{ ref('base_crm__leads') }}
    where _reject_reason is null

),

-- Each CRM sync appends the record as it then was: the latest edit is the
-- current lead, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by lead_id
            order by
                updated_at desc,
                _loaded_at desc nulls last,
                _raw_row desc
        ) as version_rank
    from leads

),

final as (

    select
        lead_id,
        first_name,
        last_name,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        company,
        title,
        country_code,
        has_invalid_country,
        status,
        has_invalid_status,
        lead_source,
        converted_contact_id,
        converted_at,
        has_invalid_converted_at,
        is_deleted,
        created_at,
        has_invalid_created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
