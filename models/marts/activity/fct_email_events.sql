{%- do validate_retention_windows() -%}
{#- Incremental on the event key: a run writes the events staged within
    the lookback and rewrites stored events whose profile is no longer the
    one their identifiers resolve to. Events that age out of the
    retention window are deleted after the run, and so are the events of
    people erased since (delete_erased_rows). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='email_event_id',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_outside_retention('occurred_at', 'email_events') }}",
            "{{ delete_erased_rows([('email', 'email'),
                                    ('esp_subscriber_id', 'subscriber_id')]) }}",
        ],
    )
}}

with

sends as (

    select * from {{ ref('stg_esp__sends') }}
    where {{ incremental_window('_loaded_at') }}

),

opens as (

    select * from {{ ref('stg_esp__opens') }}
    where {{ incremental_window('_loaded_at') }}

),

clicks as (

    select * from {{ ref('stg_esp__clicks') }}
    where {{ incremental_window('_loaded_at') }}

),

bounces as (

    select * from {{ ref('stg_esp__bounces') }}
    where {{ incremental_window('_loaded_at') }}

),

unsubscribes as (

    select * from {{ ref('stg_esp__unsubscribes') }}
    where {{ incremental_window('_loaded_at') }}

),

complaints as (

    select * from {{ ref('stg_esp__complaints') }}
    where {{ incremental_window('_loaded_at') }}

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

-- What earlier runs wrote (nothing on a full build).
stored_events as (

    {% if is_incremental() %}
        select * from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as email_event_id,
            cast(null as {{ dbt.type_string() }}) as event_type,
            cast(null as {{ dbt.type_string() }}) as profile_id,
            cast(null as {{ dbt.type_string() }}) as subscriber_id,
            cast(null as {{ dbt.type_string() }}) as email,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            cast(null as {{ dbt.type_string() }}) as campaign_name,
            cast(null as {{ dbt.type_string() }}) as url,
            cast(null as {{ dbt.type_string() }}) as bounce_type,
            cast(null as {{ dbt.type_timestamp() }}) as occurred_at,
            cast(null as {{ dbt.type_string() }}) as source_model,
            cast(null as {{ dbt.type_string() }}) as source_key,
            cast(null as {{ dbt.type_timestamp() }}) as _loaded_at
        where 1 = 0
    {% endif %}

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
        sent_at as occurred_at,
        _loaded_at
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
        opened_at as occurred_at,
        _loaded_at
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
        clicked_at as occurred_at,
        _loaded_at
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
        bounced_at as occurred_at,
        _loaded_at
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
        unsubscribed_at as occurred_at,
        _loaded_at
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
        complained_at as occurred_at,
        _loaded_at
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

landed as (

    select
        {{ dbt.concat(['event_type', "':'", 'source_key']) }}
            as email_event_id,
        event_type,
        subscriber_id,
        email,
        campaign_id,
        campaign_name,
        url,
        bounce_type,
        occurred_at,
        source_model,
        source_key,
        _loaded_at
    from unioned

),

-- A stored event whose identifiers now resolve to another profile (the
-- one it had was absorbed by a merge, or its identifier left in a split,
-- or an identifier unknown then is known now) is written again as it is,
-- with the profile it resolves to today.
rekeyed as (

    select
        stored_events.email_event_id,
        stored_events.event_type,
        stored_events.subscriber_id,
        stored_events.email,
        stored_events.campaign_id,
        stored_events.campaign_name,
        stored_events.url,
        stored_events.bounce_type,
        stored_events.occurred_at,
        stored_events.source_model,
        stored_events.source_key,
        stored_events._loaded_at
    from stored_events
    left join profiles_by_subscriber_id
        on stored_events.subscriber_id = profiles_by_subscriber_id.subscriber_id
    left join profiles_by_email
        on stored_events.email = profiles_by_email.email
    where
        coalesce(
            profiles_by_subscriber_id.profile_id,
            profiles_by_email.profile_id,
            ''
        ) <> coalesce(stored_events.profile_id, '')
        and not exists (
            select 1 from landed
            where landed.email_event_id = stored_events.email_event_id
        )

),

batch as (

    select * from landed
    union all
    select * from rekeyed

),

-- The subscriber id outranks the address, as in the identifier types
-- seed: a shared family mailbox may be blocked or split, the subscriber
-- record is one person.
resolved as (

    select
        batch.*,
        coalesce(
            profiles_by_subscriber_id.profile_id,
            profiles_by_email.profile_id
        ) as profile_id
    from batch
    left join profiles_by_subscriber_id
        on batch.subscriber_id = profiles_by_subscriber_id.subscriber_id
    left join profiles_by_email
        on batch.email = profiles_by_email.email

),

final as (

    select
        cast(email_event_id as {{ dbt.type_string() }}) as email_event_id,
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
        cast(source_key as {{ dbt.type_string() }}) as source_key,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as _loaded_at
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
