-- Nothing is lost in sessionisation: from its first retained session on,
-- every web event of a device is counted in exactly one of its sessions.
-- Returns the devices where the counts differ.

with

web_events as (

    select * from {{ ref('int_activity__web_events') }}

),

web_sessions as (

    select * from {{ ref('fct_web_sessions') }}

),

per_device as (

    select
        device_id,
        min(started_at) as first_started_at,
        sum(event_count) as session_event_count
    from web_sessions
    group by device_id

),

events_per_device as (

    select
        per_device.device_id,
        per_device.session_event_count,
        count(*) as event_count
    from per_device
    inner join web_events
        on
            per_device.device_id = web_events.device_id
            and per_device.first_started_at <= web_events.event_at
    group by per_device.device_id, per_device.session_event_count

),

final as (

    select * from events_per_device
    where event_count <> session_event_count

)

select * from final
