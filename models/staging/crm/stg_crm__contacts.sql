with

contacts as (

    select * from {{ ref('base_crm__contacts') }}
    where _reject_reason is null

),

-- Each CRM sync appends the record as it then was: the latest edit is the
-- current contact, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by contact_id
            order by updated_at desc, _loaded_at desc, _raw_row desc
        ) as version_rank
    from contacts

),

final as (

    select
        contact_id,
        account_id,
        first_name,
        last_name,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        mobile_phone,
        has_invalid_mobile_phone,
        title,
        mailing_street,
        mailing_city,
        mailing_postal_code,
        country_code,
        lead_source,
        is_do_not_contact,
        is_email_opt_out,
        is_deleted,
        created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
