with

subscribers as (

    select * from {{ ref('base_esp__subscribers') }}
    where _reject_reason is null

),

-- Each ESP export appends the subscriber as it then was: the latest edit is
-- the current record, the latest load breaks a tie, the row itself a last
-- tie.
ranked as (

    select
        *,
        row_number() over (
            partition by subscriber_id
            order by updated_at desc, _loaded_at desc, _raw_row desc
        ) as version_rank
    from subscribers

),

final as (

    select
        subscriber_id,
        email,
        has_invalid_email,
        phone,
        has_invalid_phone,
        first_name,
        last_name,
        country_code,
        email_status,
        has_invalid_email_status,
        sms_status,
        has_invalid_sms_status,
        created_at,
        has_invalid_created_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
