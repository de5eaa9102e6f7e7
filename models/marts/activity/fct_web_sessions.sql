{%- do validate_retention_windows() -%}
{#- Rebuilt per device: a run deletes and rewrites every session of each
    device it touches (unique_key is the device, not the session), so a
    late event that joins or splits sessions leaves no stale row. Sessions
    that have aged out of their retention window are deleted after the
    run, whether or not their device was touched, and so are the sessions
    of people erased since (delete_erased_rows). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='device_id',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_outside_retention('started_at', 'web_events') }}",
            "{{ delete_erased_rows([('anonymous_id', 'anonymous_id'),
                                    ('shop_customer_id', 'user_id')]) }}",
        ],
    )
}}

with

web_events as (

    select * from {{ ref('int_activity__web_events') }}

),

identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

retention_windows as (

    select * from {{ ref('retention_windows') }}

),

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

-- On a full build nothing is stored, so every device is built below.
stored_sessions as (

    {% if is_incremental() %}
        select
            device_id,
            anonymous_id,
            user_id,
            profile_id,
            started_at,
            last_loaded_at
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as device_id,
            cast(null as {{ dbt.type_string() }}) as anonymous_id,
            cast(null as {{ dbt.type_string() }}) as user_id,
            cast(null as {{ dbt.type_string() }}) as profile_id,
            cast(null as {{ dbt.type_timestamp() }}) as started_at,
            cast(null as {{ dbt.type_timestamp() }}) as last_loaded_at
        where 1 = 0
    {% endif %}

),

profiles_by_user_id as (

    select
        identifier_value as user_id,
        profile_id
    from identifiers
    where identifier_type = 'shop_customer_id'

),

profiles_by_anonymous_id as (

    select
        identifier_value as anonymous_id,
        profile_id
    from identifiers
    where identifier_type = 'anonymous_id'

),

-- Events landed within the lookback before the newest load already
-- sessionised (everything when nothing is stored).
newly_landed_devices as (

    select web_events.device_id
    from web_events
    where
        web_events._loaded_at >= coalesce(
            (
                select {{ dbt.dateadd(
                    'hour',
                    -1 * var('cdp_incremental_lookback_hours') | int,
                    'max(stored_sessions.last_loaded_at)') }}
                from stored_sessions
            ),
            {{ dbt.cast("'1900-01-01'", dbt.type_timestamp()) }}
        )

),

-- A merge, a split or a newly identified device changes whom a stored
-- session belongs to: its device is rebuilt so it carries the current id.
rekeyed_devices as (

    select stored_sessions.device_id
    from stored_sessions
    left join profiles_by_user_id
        on stored_sessions.user_id = profiles_by_user_id.user_id
    left join profiles_by_anonymous_id
        on stored_sessions.anonymous_id = profiles_by_anonymous_id.anonymous_id
    where
        coalesce(
            profiles_by_user_id.profile_id,
            profiles_by_anonymous_id.profile_id,
            ''
        ) <> coalesce(stored_sessions.profile_id, '')

),

devices_to_build as (

    select device_id from newly_landed_devices
    union
    select device_id from rekeyed_devices

),

device_events as (

    select web_events.*
    from web_events
    inner join devices_to_build
        on web_events.device_id = devices_to_build.device_id

),

-- Events are ordered by their own time, not by arrival, so one that
-- lands late falls into the session it belongs to.
gaps as (

    select
        *,
        lag(event_at) over (
            partition by device_id
            order by event_at, web_event_id
        ) as previous_event_at
    from device_events

),

session_starts as (

    select
        *,
        case
            when previous_event_at is null then 1
            when {{ dbt.datediff('previous_event_at', 'event_at',
                'second') }} >= {{ session_timeout_seconds() }} then 1
            else 0
        end as is_session_start
    from gaps

),

numbered as (

    select
        *,
        sum(is_session_start) over (
            partition by device_id
            order by event_at, web_event_id
            rows between unbounded preceding and current row
        ) as device_session_number
    from session_starts

),

ranked as (

    select
        *,
        row_number() over (
            partition by device_id, device_session_number
            order by event_at, web_event_id
        ) as event_rank,
        row_number() over (
            partition by device_id, device_session_number
            order by
                case when user_id is null then 1 else 0 end,
                event_at desc,
                web_event_id desc
        ) as latest_user_rank
    from numbered

),

aggregated as (

    select
        device_id,
        device_session_number,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as event_count,
        sum(case when event_type = 'page_viewed' then 1 else 0 end)
            as page_view_count,
        max(_loaded_at) as last_loaded_at
    from ranked
    group by device_id, device_session_number

),

first_events as (

    select * from ranked
    where event_rank = 1

),

latest_users as (

    select
        device_id,
        device_session_number,
        user_id
    from ranked
    where latest_user_rank = 1

),

sessions as (

    select
        {{ dbt.hash(dbt.concat([
            'first_events.device_id', "'|'", 'first_events.web_event_id'
        ])) }} as session_id,
        aggregated.device_id,
        aggregated.device_session_number,
        first_events.anonymous_id,
        latest_users.user_id,
        aggregated.started_at,
        aggregated.ended_at,
        aggregated.event_count,
        aggregated.page_view_count,
        first_events.url_path as landing_url_path,
        first_events.referrer,
        first_events.utm_source,
        first_events.utm_medium,
        first_events.utm_campaign,
        aggregated.last_loaded_at
    from aggregated
    inner join first_events
        on
            aggregated.device_id = first_events.device_id
            and aggregated.device_session_number
            = first_events.device_session_number
    inner join latest_users
        on
            aggregated.device_id = latest_users.device_id
            and aggregated.device_session_number
            = latest_users.device_session_number

),

-- A session belongs to the profile of its logged-in user (the stronger
-- identifier), else to the profile of its browser; else to nobody yet.
resolved as (

    select
        sessions.*,
        coalesce(
            profiles_by_user_id.profile_id,
            profiles_by_anonymous_id.profile_id
        ) as profile_id
    from sessions
    left join profiles_by_user_id
        on sessions.user_id = profiles_by_user_id.user_id
    left join profiles_by_anonymous_id
        on sessions.anonymous_id = profiles_by_anonymous_id.anonymous_id

),

final as (

    select
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(device_id as {{ dbt.type_string() }}) as device_id,
        cast(device_session_number as {{ dbt.type_bigint() }})
            as device_session_number,
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(anonymous_id as {{ dbt.type_string() }}) as anonymous_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,
        cast(
            {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as {{ dbt.type_bigint() }}
        ) as duration_seconds,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(page_view_count as {{ dbt.type_bigint() }}) as page_view_count,
        cast(landing_url_path as {{ dbt.type_string() }})
            as landing_url_path,
        cast(referrer as {{ dbt.type_string() }}) as referrer,
        cast(utm_source as {{ dbt.type_string() }}) as utm_source,
        cast(utm_medium as {{ dbt.type_string() }}) as utm_medium,
        cast(utm_campaign as {{ dbt.type_string() }}) as utm_campaign,
        cast(last_loaded_at as {{ dbt.type_timestamp() }})
            as last_loaded_at
    from resolved
    where
        {{ is_within_retention('started_at', 'web_events') }}
        and coalesce(
            {{ sha256_hex(identity_node("'anonymous_id'", 'anonymous_id')) }}
            not in (select identifier_key from erasure_registry),
            true
        )
        and coalesce(
            {{ sha256_hex(identity_node("'shop_customer_id'", 'user_id')) }}
            not in (select identifier_key from erasure_registry),
            true
        )

)

select * from final
