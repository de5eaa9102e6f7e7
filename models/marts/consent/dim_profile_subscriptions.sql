with

subscribers as (

    select * from {{ ref('stg_esp__subscribers') }}

),

bounces as (

    select * from {{ ref('stg_esp__bounces') }}

),

complaints as (

    select * from {{ ref('stg_esp__complaints') }}

),

unsubscribes as (

    select * from {{ ref('stg_esp__unsubscribes') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

hard_bounces as (

    select
        subscriber_id,
        min(bounced_at) as first_bounced_at
    from bounces
    where bounce_type = 'hard' and subscriber_id is not null
    group by subscriber_id

),

complaints_by_subscriber as (

    select
        subscriber_id,
        min(complained_at) as first_complained_at
    from complaints
    where subscriber_id is not null
    group by subscriber_id

),

full_unsubscribes as (

    select
        subscriber_id,
        max(unsubscribed_at) as last_unsubscribed_at
    from unsubscribes
    where is_all_lists and subscriber_id is not null
    group by subscriber_id

),

-- Complaints and hard bounces stick: the address is never mailed again,
-- whatever the status says later. Otherwise an unsubscribe event newer
-- than the subscriber's last edit wins over a status the ESP has not
-- caught up with yet.
email_states as (

    select
        subscribers.subscriber_id,
        'email' as channel,
        subscribers.email as contact_address,
        case
            when
                subscribers.email_status = 'complained'
                or complaints_by_subscriber.subscriber_id is not null
                then 'complained'
            when
                subscribers.email_status = 'cleaned'
                or hard_bounces.subscriber_id is not null
                then 'bounced'
            when
                subscribers.email_status = 'unsubscribed'
                or full_unsubscribes.last_unsubscribed_at
                > subscribers.updated_at
                then 'unsubscribed'
            when subscribers.email_status = 'subscribed' then 'subscribed'
            when subscribers.email_status = 'pending' then 'pending'
            else 'unknown'
        end as subscription_state,
        case
            when complaints_by_subscriber.subscriber_id is not null
                then complaints_by_subscriber.first_complained_at
            when hard_bounces.subscriber_id is not null
                then hard_bounces.first_bounced_at
            when
                full_unsubscribes.last_unsubscribed_at
                > subscribers.updated_at
                then full_unsubscribes.last_unsubscribed_at
            else subscribers.updated_at
        end as state_changed_at
    from subscribers
    left join complaints_by_subscriber
        on subscribers.subscriber_id = complaints_by_subscriber.subscriber_id
    left join hard_bounces
        on subscribers.subscriber_id = hard_bounces.subscriber_id
    left join full_unsubscribes
        on subscribers.subscriber_id = full_unsubscribes.subscriber_id

),

-- An SMS status left empty means the person was never asked.
sms_states as (

    select
        subscriber_id,
        'sms' as channel,
        phone as contact_address,
        coalesce(sms_status, 'not_subscribed') as subscription_state,
        updated_at as state_changed_at
    from subscribers

),

unioned as (

    select * from email_states
    union all
    select * from sms_states

),

final as (

    select
        cast(
            {{ dbt.hash(dbt.concat([
            'unioned.subscriber_id', "'|'", 'unioned.channel'])) }}
            as {{ dbt.type_string() }}
        ) as subscription_id,
        cast(profile_identifiers.profile_id as {{ dbt.type_string() }})
            as profile_id,
        cast(unioned.subscriber_id as {{ dbt.type_string() }})
            as esp_subscriber_id,
        cast(unioned.channel as {{ dbt.type_string() }}) as channel,
        cast(unioned.contact_address as {{ dbt.type_string() }})
            as contact_address,
        cast(unioned.subscription_state as {{ dbt.type_string() }})
            as subscription_state,
        cast(unioned.state_changed_at as {{ dbt.type_timestamp() }})
            as state_changed_at,
        unioned.subscription_state = 'subscribed'
        and unioned.contact_address is not null as is_sendable
    from unioned
    left join profile_identifiers
        on
            profile_identifiers.identifier_id
            = {{ identity_node(
                "'esp_subscriber_id'", 'unioned.subscriber_id') }}
    left join erased_profiles
        on profile_identifiers.profile_id = erased_profiles.profile_id
    -- An erased subscriber or address stays out even where the identity
    -- graph no longer places it.
    left join erasure_registry as erased_subscribers
        on
            erased_subscribers.identifier_key = {{ sha256_hex(identity_node(
                "'esp_subscriber_id'", 'unioned.subscriber_id')) }}
    left join erasure_registry as erased_addresses
        on
            erased_addresses.identifier_key = {{ sha256_hex(identity_node(
                "case unioned.channel when 'email' then 'email'"
                ~ " else 'phone' end", 'unioned.contact_address')) }}
    where
        erased_profiles.profile_id is null
        and erased_subscribers.identifier_key is null
        and erased_addresses.identifier_key is null

)

select * from final
