{%- do validate_retention_windows() -%}

with

sends as (

    select * from {{ ref('stg_esp__sends') }}

),

opens as (

    select * from {{ ref('stg_esp__opens') }}

),

clicks as (

    select * from {{ ref('stg_esp__clicks') }}

),

bounces as (

    select * from {{ ref('stg_esp__bounces') }}

),

unsubscribes as (

    select * from {{ ref('stg_esp__unsubscribes') }}

),

complaints as (

    select * from {{ ref('stg_esp__complaints') }}

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

{% set null_text = 'cast(null as ' ~ dbt.type_string() ~ ')' %}

unioned as (

    select
        'send' as event_type,
        'stg_esp__sends' as source_model,
        send_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        campaign_name,
        {{ null_text }} as url,
        {{ null_text }} as bounce_type,
        sent_at as occurred_at
    from sends
    union all
    select
        'open' as event_type,
        'stg_esp__opens' as source_model,
        open_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        {{ null_text }} as campaign_name,
        {{ null_text }} as url,
        {{ null_text }} as bounce_type,
        opened_at as occurred_at
    from opens
    union all
    select
        'click' as event_type,
        'stg_esp__clicks' as source_model,
        click_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        {{ null_text }} as campaign_name,
        url,
        {{ null_text }} as bounce_type,
        clicked_at as occurred_at
    from clicks
    union all
    select
        'bounce' as event_type,
        'stg_esp__bounces' as source_model,
        bounce_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        {{ null_text }} as campaign_name,
        {{ null_text }} as url,
        bounce_type,
        bounced_at as occurred_at
    from bounces
    union all
    select
        'unsubscribe' as event_type,
        'stg_esp__unsubscribes' as source_model,
        unsubscribe_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        {{ null_text }} as campaign_name,
        {{ null_text }} as url,
        {{ null_text }} as bounce_type,
        unsubscribed_at as occurred_at
    from unsubscribes
    union all
    select
        'complaint' as event_type,
        'stg_esp__complaints' as source_model,
        complaint_id as source_key,
        subscriber_id,
        email,
        campaign_id,
        {{ null_text }} as campaign_name,
        {{ null_text }} as url,
        {{ null_text }} as bounce_type,
        complained_at as occurred_at
    from complaints

),

profiles_by_subscriber_id as (

    select
        identifier_value as subscriber_id,
        profile_id
    from identifiers
    where identifier_type = 'esp_subscriber_id'

),

profiles_by_email as (

    select
        identifier_value as email,
        profile_id
    from identifiers
    where identifier_type = 'email'

),

-- The subscriber id outranks the address, as in the identifier types
-- seed: a shared family mailbox may be blocked or split, the subscriber
-- record is one person.
resolved as (

    select
        unioned.*,
        coalesce(
            profiles_by_subscriber_id.profile_id,
            profiles_by_email.profile_id
        ) as profile_id
    from unioned
    left join profiles_by_subscriber_id
        on unioned.subscriber_id = profiles_by_subscriber_id.subscriber_id
    left join profiles_by_email
        on unioned.email = profiles_by_email.email

),

final as (

    select
        cast(
            {{ dbt.concat(['event_type', "':'", 'source_key']) }}
            as {{ dbt.type_string() }}
        ) as email_event_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(subscriber_id as {{ dbt.type_string() }}) as subscriber_id,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        cast(url as {{ dbt.type_string() }}) as url,
        cast(bounce_type as {{ dbt.type_string() }}) as bounce_type,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(source_model as {{ dbt.type_string() }}) as source_model,
        cast(source_key as {{ dbt.type_string() }}) as source_key
    from resolved
    where
        {{ is_within_retention('occurred_at', 'email_events') }}
        and coalesce(
            {{ sha256_hex(identity_node("'email'", 'email')) }}
            not in (select identifier_key from erasure_registry),
            true
        )
        and coalesce(
            {{ sha256_hex(identity_node(
                "'esp_subscriber_id'", 'subscriber_id')) }}
            not in (select identifier_key from erasure_registry),
            true
        )

)

select * from final
