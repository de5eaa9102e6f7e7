-- Retention holds on the incremental activity marts: an incremental run
-- only writes its batch, so a row that has aged out since it was written
-- is gone only if the post-hook deleted it. Returns every stored row
-- older than its data class's window (seeds/governance/
-- retention_windows.csv) at the as-of time.

with

web_sessions as (

    select * from {{ ref('fct_web_sessions') }}

),

email_events as (

    select * from {{ ref('fct_email_events') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

retention_windows as (

    select * from {{ ref('retention_windows') }}

),

expired_sessions as (

    select
        'fct_web_sessions' as model_name,
        session_id as row_key,
        started_at as row_time
    from web_sessions
    where not {{ is_within_retention('started_at', 'web_events') }}

),

expired_email_events as (

    select
        'fct_email_events' as model_name,
        email_event_id as row_key,
        occurred_at as row_time
    from email_events
    where not {{ is_within_retention('occurred_at', 'email_events') }}

),

expired_orders as (

    select
        'fct_orders' as model_name,
        order_id as row_key,
        ordered_at as row_time
    from orders
    where not {{ is_within_retention('ordered_at', 'orders') }}

),

final as (

    select * from expired_sessions
    union all
    select * from expired_email_events
    union all
    select * from expired_orders

)

select * from final
