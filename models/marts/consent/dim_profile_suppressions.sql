with

subscriptions as (

    select * from {{ ref('dim_profile_subscriptions') }}

),

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

privacy_requests as (

    select * from {{ ref('stg_privacy__requests') }}

),

legal_holds as (

    select * from {{ ref('suppression_legal_holds') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

profile_id_map as (

    select * from {{ ref('dim_profile_id_map') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

subscription_reasons as (

    select
        profile_id,
        channel,
        case subscription_state
            when 'unsubscribed' then 'unsubscribed'
            when 'bounced' then 'hard_bounce'
            when 'complained' then 'complaint'
        end as reason,
        'esp' as source_name,
        state_changed_at as suppressed_since
    from subscriptions
    where
        profile_id is not null
        and subscription_state in ('unsubscribed', 'bounced', 'complained')

),

crm_flags as (

    select
        contact_id,
        'all' as channel,
        'do_not_contact' as reason,
        updated_at as suppressed_since
    from crm_contacts
    where is_do_not_contact
    union all
    select
        contact_id,
        'email' as channel,
        'unsubscribed' as reason,
        updated_at as suppressed_since
    from crm_contacts
    where is_email_opt_out

),

crm_reasons as (

    select
        profile_identifiers.profile_id,
        crm_flags.channel,
        crm_flags.reason,
        'crm' as source_name,
        crm_flags.suppressed_since
    from crm_flags
    inner join profile_identifiers
        on
            profile_identifiers.identifier_id
            = {{ identity_node("'crm_contact_id'", 'crm_flags.contact_id') }}

),

-- Contact stops the moment a deletion is asked for, before the requester
-- is verified; only a rejected request lifts it.
pending_deletions as (

    {% for identifier_type, column in [('email', 'email'),
                                       ('phone', 'phone'),
                                       ('shop_customer_id', 'customer_id'),
                                       ('shop_customer_id', 'user_id')] %}
        select
            {{ identity_node("'" ~ identifier_type ~ "'", column) }}
                as identifier_id,
            requested_at
        from privacy_requests
        where
            request_type = 'deletion'
            and coalesce(status, 'received') <> 'rejected'
            and {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

deletion_reasons as (

    select
        profile_identifiers.profile_id,
        'all' as channel,
        'deletion_requested' as reason,
        'privacy_request' as source_name,
        pending_deletions.requested_at as suppressed_since
    from pending_deletions
    inner join profile_identifiers
        on pending_deletions.identifier_id = profile_identifiers.identifier_id
    union all
    select
        profile_id,
        'all' as channel,
        'deletion_requested' as reason,
        'erasure' as source_name,
        erased_at as suppressed_since
    from erased_profiles

),

legal_hold_reasons as (

    select
        coalesce(profile_id_map.current_profile_id, legal_holds.profile_id)
            as profile_id,
        'all' as channel,
        'legal_hold' as reason,
        'legal_hold' as source_name,
        legal_holds.placed_at as suppressed_since
    from legal_holds
    left join profile_id_map
        on legal_holds.profile_id = profile_id_map.issued_profile_id
    where
        legal_holds.placed_at <= {{ cdp_as_of() }}
        and (
            legal_holds.released_at is null
            or legal_holds.released_at > {{ cdp_as_of() }}
        )

),

unioned as (

    select * from subscription_reasons
    union all
    select * from crm_reasons
    union all
    select * from deletion_reasons
    union all
    select * from legal_hold_reasons

),

-- An erased person keeps only the deletion reason: the rest would tell
-- what they did.
kept as (

    select unioned.*
    from unioned
    left join erased_profiles
        on unioned.profile_id = erased_profiles.profile_id
    where
        erased_profiles.profile_id is null
        or (
            unioned.reason = 'deletion_requested'
            and unioned.source_name = 'erasure'
        )

),

per_source as (

    select
        profile_id,
        channel,
        reason,
        source_name,
        min(suppressed_since) as suppressed_since
    from kept
    group by profile_id, channel, reason, source_name

),

final as (

    select
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(
            {{ dbt.listagg('source_name', "','", 'order by source_name') }}
            as {{ dbt.type_string() }}
        ) as sources,
        cast(min(suppressed_since) as {{ dbt.type_timestamp() }})
            as suppressed_since
    from per_source
    group by profile_id, channel, reason

)

select * from final
