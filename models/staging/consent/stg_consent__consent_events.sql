with

consent_events as (

    select * from {{ ref('base_consent__consent_events') }}
    where _reject_reason is null

),

-- A consent decision is immutable and the loader may land it more than
-- once: the first landing (earliest load, then the row itself) is the
-- decision.
ranked as (

    select
        *,
        row_number() over (
            partition by consent_event_id
            order by _loaded_at, _raw_row
        ) as landing_rank
    from consent_events

),

final as (

    select
        consent_event_id,
        anonymous_id,
        user_id,
        email,
        has_invalid_email,
        ad_storage,
        analytics_storage,
        ad_user_data,
        ad_personalization,
        functionality_storage,
        personalization_storage,
        security_storage,
        has_invalid_consent_mode,
        tcf_string,
        has_gpc_signal,
        has_invalid_gpc,
        country_code,
        region_code,
        captured_at,
        _loaded_at
    from ranked
    where landing_rank = 1

)

select * from final
