{{ config(materialized='view') }}

with

pages as (

    select * from {{ ref('stg_tracking__pages') }}

),

tracks as (

    select * from {{ ref('stg_tracking__tracks') }}

),

unioned as (

    select
        {{ dbt.concat(["'page:'", 'page_id']) }} as web_event_id,
        'stg_tracking__pages' as source_model,
        page_id as source_key,
        'page_viewed' as event_type,
        anonymous_id,
        user_id,
        url_path,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        event_at,
        _loaded_at
    from pages
    union all
    select
        {{ dbt.concat(["'track:'", 'track_id']) }} as web_event_id,
        'stg_tracking__tracks' as source_model,
        track_id as source_key,
        -- A track without a readable name is still activity.
        coalesce(event_name, 'unnamed_event') as event_type,
        anonymous_id,
        user_id,
        cast(null as {{ dbt.type_string() }}) as url_path,
        cast(null as {{ dbt.type_string() }}) as referrer,
        cast(null as {{ dbt.type_string() }}) as utm_source,
        cast(null as {{ dbt.type_string() }}) as utm_medium,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        event_at,
        _loaded_at
    from tracks

),

-- Sessions are cut per browser or device. An event without an anonymous
-- id (the contract allows it) falls back to its user id, and one with
-- neither stands alone, so that no event is dropped.
final as (

    select
        *,
        case
            when anonymous_id is not null then anonymous_id
            when user_id is not null
                then {{ dbt.concat(["'user_id:'", 'user_id']) }}
            else web_event_id
        end as device_id
    from unioned

)

select * from final
