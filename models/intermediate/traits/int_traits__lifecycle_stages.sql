with

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

commerce as (

    select * from {{ ref('int_traits__commerce') }}

),

crm_signals as (

    select * from {{ ref('int_traits__crm_signals') }}

),

identity_signals as (

    select
        profile_id,
        max(
            case when identifier_type <> 'anonymous_id' then 1 else 0 end
        ) = 1 as has_known_identifier,
        max(
            case
                when
                    identifier_type in (
                        'crm_lead_id', 'crm_contact_id', 'esp_subscriber_id'
                    )
                    then 1
                else 0
            end
        ) = 1 as has_lead_record
    from identifiers
    group by profile_id

),

signals as (

    select
        identity_signals.profile_id,
        identity_signals.has_known_identifier,
        identity_signals.has_lead_record,
        coalesce(crm_signals.is_mql, false) as is_mql,
        coalesce(crm_signals.is_sql, false) as is_sql,
        coalesce(crm_signals.has_won_opportunity, false)
            as has_won_opportunity,
        coalesce(commerce.order_count, 0) as order_count,
        commerce.recency_days
    from identity_signals
    left join crm_signals
        on identity_signals.profile_id = crm_signals.profile_id
    left join commerce
        on identity_signals.profile_id = commerce.profile_id

),

-- The lifecycle rules, all here and in order: the first that holds gives
-- the stage. Lapsed and churned apply to buyers only (recency is days
-- since the last paid order at the as-of time).
final as (

    select
        profile_id,
        case
            when recency_days > {{ lifecycle_threshold_days('churned') }}
                then 'churned'
            when recency_days > {{ lifecycle_threshold_days('lapsed') }}
                then 'lapsed'
            when order_count >= 2 then 'repeat'
            when order_count = 1 or has_won_opportunity then 'customer'
            when is_sql then 'sql'
            when is_mql then 'mql'
            when has_lead_record then 'lead'
            when has_known_identifier then 'known'
            else 'anonymous'
        end as lifecycle_stage
    from signals

)

select * from final
