{%- set as_of = cdp_as_of() -%}

with

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

esp_opens as (

    select * from {{ ref('stg_esp__opens') }}

),

esp_clicks as (

    select * from {{ ref('stg_esp__clicks') }}

),

tracking_pages as (

    select * from {{ ref('stg_tracking__pages') }}

),

email_events as (

    select
        subscriber_id,
        email,
        opened_at as event_at
    from esp_opens
    union all
    select
        subscriber_id,
        email,
        clicked_at as event_at
    from esp_clicks

),

-- Each event reaches its profile through the subscriber id or, when the
-- ESP did not send one, the email; page views through the logged-in user
-- id (the shop customer id) or else the device id. Events after the as-of
-- time (var cdp_as_of) do not count.
event_nodes as (

    select
        'email' as channel,
        case
            when subscriber_id is not null
                then {{ identity_node("'esp_subscriber_id'", 'subscriber_id') }}
            else {{ identity_node("'email'", 'email') }}
        end as node,
        event_at
    from email_events
    where
        event_at <= {{ as_of }}
        and coalesce(subscriber_id, email) is not null
    union all
    select
        'web' as channel,
        case
            when user_id is not null
                then {{ identity_node("'shop_customer_id'", 'user_id') }}
            else {{ identity_node("'anonymous_id'", 'anonymous_id') }}
        end as node,
        event_at
    from tracking_pages
    where
        event_at <= {{ as_of }}
        and coalesce(user_id, anonymous_id) is not null

),

-- Grouped by identifier first, so that the join to profiles is on
-- identifiers, not events.
engagement_nodes as (

    select
        channel,
        node,
        max(event_at) as last_event_at
    from event_nodes
    group by channel, node

),

profile_channels as (

    select
        profile_identifiers.profile_id,
        max(
            case
                when engagement_nodes.channel = 'email'
                    then engagement_nodes.last_event_at
            end
        ) as last_email_engagement_at,
        max(
            case
                when engagement_nodes.channel = 'web'
                    then engagement_nodes.last_event_at
            end
        ) as last_web_visit_at,
        max(engagement_nodes.last_event_at) as last_engagement_at
    from engagement_nodes
    inner join profile_identifiers
        on engagement_nodes.node = profile_identifiers.identifier_id
    group by profile_identifiers.profile_id

),

final as (

    select
        profile_id,
        last_email_engagement_at,
        last_web_visit_at,
        last_engagement_at,
        coalesce(
            last_engagement_at
            >= {{ dbt.dateadd('day', -90, as_of) }},
            false
        ) as is_engaged_90d,
        {{ as_of }} as as_of
    from profile_channels

)

select * from final
