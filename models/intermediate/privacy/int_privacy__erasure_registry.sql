{#- The memory of every erasure: it must outlive every rebuild (the
    sources may still hold the person's rows), so a full refresh does not
    touch it (full_refresh=false). It keeps no personal data: identifiers
    are SHA-256 hashes. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='identifier_key',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

{%- set run_started = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S')
    ~ "' as " ~ dbt.type_timestamp() ~ ")" %}

with

privacy_requests as (

    select * from {{ ref('stg_privacy__requests') }}

),

-- Read from the identity registry, not the identifier mart: the marts
-- leave erased people out, and this is where that starts.
identity_registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

registered as (

    {% if is_incremental() %}
        select
            identifier_key,
            erased_profile_id
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as identifier_key,
            cast(null as {{ dbt.type_string() }}) as erased_profile_id
        where 1 = 0
    {% endif %}

),

-- A deletion is carried out once the portal has verified the requester
-- (verified) or closed the request (completed). A request only received
-- is not yet proven to come from the person and may be rejected: until
-- then it suppresses contact (dim_profile_suppressions) but erases
-- nothing. A rejected request never erases.
deletions as (

    select
        request_id,
        requested_at,
        email,
        phone,
        coalesce(customer_id, user_id) as shop_customer_id
    from privacy_requests
    where
        request_type = 'deletion'
        and status in ('verified', 'completed')

),

-- Whatever the requester gave to name themselves.
requester_identifiers as (

    {% for identifier_type, column in [('email', 'email'),
                                       ('phone', 'phone'),
                                       ('shop_customer_id',
                                        'shop_customer_id')] %}
        select
            request_id,
            requested_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from deletions
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

hashed_identifiers as (

    select
        node,
        identifier_type,
        identifier_value,
        profile_id,
        {{ sha256_hex('node') }} as identifier_key
    from identity_registry

),

requester_profiles as (

    select
        requester_identifiers.request_id,
        requester_identifiers.requested_at,
        hashed_identifiers.profile_id
    from requester_identifiers
    inner join hashed_identifiers
        on
            hashed_identifiers.node = {{ identity_node(
                'requester_identifiers.identifier_type',
                'requester_identifiers.identifier_value') }}

),

-- The whole person: every identifier of the requester's profile, and what
-- the requester typed even when no source knows it (so that it cannot
-- come in later unnoticed).
requested_erasures as (

    select
        requester_profiles.request_id,
        requester_profiles.requested_at,
        hashed_identifiers.profile_id as erased_profile_id,
        hashed_identifiers.identifier_key,
        hashed_identifiers.identifier_type,
        hashed_identifiers.identifier_value
    from requester_profiles
    inner join hashed_identifiers
        on requester_profiles.profile_id = hashed_identifiers.profile_id
    union all
    select
        request_id,
        requested_at,
        cast(null as {{ dbt.type_string() }}) as erased_profile_id,
        {{ sha256_hex(identity_node('identifier_type', 'identifier_value')) }}
            as identifier_key,
        identifier_type,
        identifier_value
    from requester_identifiers

),

-- An identifier that has joined an erased person since (the identity
-- graph linked it to an erased identifier) is erased with them.
joined_later as (

    select distinct
        cast(null as {{ dbt.type_string() }}) as request_id,
        cast(null as {{ dbt.type_timestamp() }}) as requested_at,
        hashed_identifiers.profile_id as erased_profile_id,
        hashed_identifiers.identifier_key,
        hashed_identifiers.identifier_type,
        hashed_identifiers.identifier_value
    from hashed_identifiers
    inner join hashed_identifiers as erased_peers
        on hashed_identifiers.profile_id = erased_peers.profile_id
    inner join registered
        on erased_peers.identifier_key = registered.identifier_key

),

candidates as (

    select * from requested_erasures
    union all
    select * from joined_later

),

-- One row per identifier, the earliest request naming it first (an
-- identifier seen only through the graph has none), and never twice.
ranked as (

    select
        candidates.*,
        row_number() over (
            partition by candidates.identifier_key
            order by
                case when candidates.request_id is null then 1 else 0 end,
                candidates.requested_at,
                candidates.request_id,
                case
                    when candidates.erased_profile_id is null then 1 else 0
                end,
                candidates.erased_profile_id
        ) as candidate_rank
    from candidates
    left join registered
        on candidates.identifier_key = registered.identifier_key
    where registered.identifier_key is null

),

final as (

    select
        cast(identifier_key as {{ dbt.type_string() }}) as identifier_key,
        cast(identifier_type as {{ dbt.type_string() }}) as identifier_type,
        cast({{ sha256_hex('identifier_value') }} as {{ dbt.type_string() }})
            as identifier_sha256,
        cast(erased_profile_id as {{ dbt.type_string() }})
            as erased_profile_id,
        cast(request_id as {{ dbt.type_string() }}) as request_id,
        cast(requested_at as {{ dbt.type_timestamp() }}) as requested_at,
        {{ run_started }} as erased_at,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }})
            as erased_invocation_id
    from ranked
    where candidate_rank = 1

)

select * from final
