with

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

profile_events as (

    select * from {{ ref('fct_profile_events') }}

),

web_sessions as (

    select * from {{ ref('fct_web_sessions') }}

),

email_events as (

    select * from {{ ref('fct_email_events') }}

),

commerce as (

    select * from {{ ref('int_traits__commerce') }}

),

service as (

    select * from {{ ref('int_traits__service') }}

),

lifecycle_stages as (

    select * from {{ ref('int_traits__lifecycle_stages') }}

),

{% set as_of = cdp_as_of() %}

-- Every trait counts only what had happened at the as-of time.
profiles as (

    select
        profile_id,
        min(
            case when first_seen_at <= {{ as_of }} then first_seen_at end
        ) as identifier_first_seen_at,
        max(
            case when last_seen_at <= {{ as_of }} then last_seen_at end
        ) as identifier_last_seen_at
    from identifiers
    group by profile_id

),

past_events as (

    select * from profile_events
    where occurred_at <= {{ as_of }}

),

event_traits as (

    select
        profile_id,
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at,
        -- Product usage: days with any web or app activity.
        count(distinct case
            when
                channel = 'web'
                and occurred_at > {{ dbt.dateadd('day', -30, as_of) }}
                then cast(occurred_at as date)
        end) as active_days_last_30
    from past_events
    group by profile_id

),

profile_channels as (

    select distinct
        profile_id,
        channel
    from past_events

),

channel_traits as (

    select
        profile_id,
        {{ dbt.listagg('channel', "','", 'order by channel') }}
            as channels_seen
    from profile_channels
    group by profile_id

),

session_traits as (

    select
        profile_id,
        count(*) as web_session_count,
        sum(page_view_count) as page_view_count,
        max(started_at) as last_session_at
    from web_sessions
    where
        profile_id is not null
        and started_at <= {{ as_of }}
    group by profile_id

),

email_traits as (

    {% set last_90 = dbt.dateadd('day', -90, as_of) %}
    select
        profile_id,
        {% for event_type in ['send', 'open', 'click'] %}
            sum(case
                when event_type = '{{ event_type }}'
                    and occurred_at > {{ last_90 }} then 1
                else 0
            end) as email_{{ event_type }}s_last_90,
        {% endfor %}
        max(case
            when event_type in ('open', 'click') then occurred_at
        end) as last_email_engaged_at
    from email_events
    where
        profile_id is not null
        and occurred_at <= {{ as_of }}
    group by profile_id

),

final as (

    select
        cast(profiles.profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(
            case
                when event_traits.first_event_at is null
                    then profiles.identifier_first_seen_at
                when profiles.identifier_first_seen_at is null
                    then event_traits.first_event_at
                when event_traits.first_event_at
                    < profiles.identifier_first_seen_at
                    then event_traits.first_event_at
                else profiles.identifier_first_seen_at
            end as {{ dbt.type_timestamp() }}
        ) as first_seen_at,
        cast(
            case
                when event_traits.last_event_at is null
                    then profiles.identifier_last_seen_at
                when profiles.identifier_last_seen_at is null
                    then event_traits.last_event_at
                when event_traits.last_event_at
                    > profiles.identifier_last_seen_at
                    then event_traits.last_event_at
                else profiles.identifier_last_seen_at
            end as {{ dbt.type_timestamp() }}
        ) as last_seen_at,
        cast(channel_traits.channels_seen as {{ dbt.type_string() }})
            as channels_seen,
        cast(
            coalesce(session_traits.web_session_count, 0)
            as {{ dbt.type_bigint() }}
        ) as web_session_count,
        cast(
            coalesce(session_traits.page_view_count, 0)
            as {{ dbt.type_bigint() }}
        ) as page_view_count,
        cast(session_traits.last_session_at as {{ dbt.type_timestamp() }})
            as last_session_at,
        cast(
            coalesce(event_traits.active_days_last_30, 0)
            as {{ dbt.type_bigint() }}
        ) as active_days_last_30,
        {% for event_type in ['send', 'open', 'click'] %}
            cast(
                coalesce(email_traits.email_{{ event_type }}s_last_90, 0)
                as {{ dbt.type_bigint() }}
            ) as email_{{ event_type }}s_last_90,
        {% endfor %}
        cast(
            email_traits.last_email_engaged_at
            as {{ dbt.type_timestamp() }}
        ) as last_email_engaged_at,
        cast(coalesce(commerce.order_count, 0) as {{ dbt.type_bigint() }})
            as order_count,
        cast(coalesce(commerce.revenue, 0) as {{ dbt.type_numeric() }})
            as revenue,
        cast(coalesce(commerce.refund_count, 0) as {{ dbt.type_bigint() }})
            as refund_count,
        cast(
            coalesce(commerce.refunded_amount, 0)
            as {{ dbt.type_numeric() }}
        ) as refunded_amount,
        cast(coalesce(commerce.net_revenue, 0) as {{ dbt.type_numeric() }})
            as net_revenue,
        cast(commerce.average_order_value as {{ dbt.type_numeric() }})
            as average_order_value,
        coalesce(commerce.currency_count, 0) > 1 as has_mixed_currencies,
        cast(commerce.first_order_at as {{ dbt.type_timestamp() }})
            as first_order_at,
        cast(commerce.last_order_at as {{ dbt.type_timestamp() }})
            as last_order_at,
        cast(commerce.recency_days as {{ dbt.type_bigint() }})
            as rfm_recency_days,
        cast(commerce.recency_score as {{ dbt.type_int() }})
            as rfm_recency_score,
        cast(commerce.frequency_score as {{ dbt.type_int() }})
            as rfm_frequency_score,
        cast(commerce.monetary_score as {{ dbt.type_int() }})
            as rfm_monetary_score,
        cast(
            coalesce(service.open_case_count, 0)
            as {{ dbt.type_bigint() }}
        ) as open_case_count,
        cast(service.last_satisfaction_score as {{ dbt.type_int() }})
            as last_satisfaction_score,
        cast(lifecycle_stages.lifecycle_stage as {{ dbt.type_string() }})
            as lifecycle_stage,
        cast({{ as_of }} as {{ dbt.type_timestamp() }}) as traits_as_of
    from profiles
    left join event_traits
        on profiles.profile_id = event_traits.profile_id
    left join channel_traits
        on profiles.profile_id = channel_traits.profile_id
    left join session_traits
        on profiles.profile_id = session_traits.profile_id
    left join email_traits
        on profiles.profile_id = email_traits.profile_id
    left join commerce
        on profiles.profile_id = commerce.profile_id
    left join service
        on profiles.profile_id = service.profile_id
    left join lifecycle_stages
        on profiles.profile_id = lifecycle_stages.profile_id

)

select * from final
