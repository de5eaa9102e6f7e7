{%- set identifier_columns = [
    'crm_contact_id', 'shop_customer_id', 'esp_subscriber_id', 'email',
    'phone', 'anonymous_id',
] %}

with

signals as (

    select * from {{ ref('int_consent__signals') }}

),

signal_purposes as (

    select * from {{ ref('consent_signal_purposes') }}

),

jurisdictions as (

    select * from {{ ref('consent_jurisdictions') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

-- The identifiers a signal names, as one key per distinct combination:
-- the signals of a record share them, so finding profiles and erasures
-- per combination does the work once per record, not once per signal.
keyed_signals as (

    select
        *,
        {{ composite_key(identifier_columns) }}
            as identity_key
    from signals

),

mapped_signals as (

    select
        source_name,
        signal_name
    from signal_purposes
    group by source_name, signal_name

),

-- A signal speaks for each purpose it is mapped to, as far as its effect
-- allows (GPC only denies, the shop box only grants). A signal mapped to
-- nothing (Consent Mode ad_storage, a preference-centre purpose not in
-- the seed) is kept without a purpose, so that nothing vanishes unseen.
purposed as (

    select
        signals.*,
        signal_purposes.purpose
    from keyed_signals as signals
    inner join signal_purposes
        on
            signals.source_name = signal_purposes.source_name
            and signals.signal_name = signal_purposes.signal_name
    where
        signal_purposes.effect = 'both'
        or (
            signal_purposes.effect = 'deny_only'
            and signals.signal_value = 'denied'
        )
        or (
            signal_purposes.effect = 'grant_only'
            and signals.signal_value = 'granted'
        )
    union all
    select
        signals.*,
        cast(null as {{ dbt.type_string() }}) as purpose
    from keyed_signals as signals
    left join mapped_signals
        on
            signals.source_name = mapped_signals.source_name
            and signals.signal_name = mapped_signals.signal_name
    where mapped_signals.signal_name is null

),

chosen as (

    select * from purposed
    where signal_value in ('granted', 'denied')

),

identity_keys as (

    select
        identity_key,
        {{ identifier_columns | join(',\n        ') }}
    from keyed_signals
    group by
        identity_key,
        {{ identifier_columns | join(',\n        ') }}

),

-- Every identifier a combination holds, to find its profile.
candidates as (

    {% for column in identifier_columns %}
        select
            identity_key,
            '{{ column }}' as identifier_type,
            {{ identity_node("'" ~ column ~ "'", column) }} as identifier_id
        from identity_keys
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

candidate_identifiers as (

    select distinct identifier_id
    from candidates

),

-- A record naming any erased identifier is left out, whether or not the
-- identity graph still places it (an erased person's identifiers are not
-- in dim_profile_identifiers any more).
erased_identifiers as (

    select candidate_identifiers.identifier_id
    from candidate_identifiers
    inner join erasure_registry
        on
            erasure_registry.identifier_key
            = {{ sha256_hex('candidate_identifiers.identifier_id') }}

),

erased_keys as (

    select distinct candidates.identity_key
    from candidates
    inner join erased_identifiers
        on candidates.identifier_id = erased_identifiers.identifier_id

),

-- The record belongs to the profile of its strongest identifier that the
-- identity graph knows (type priority, then the identifier itself).
resolved as (

    select
        candidates.identity_key,
        candidates.identifier_type,
        profile_identifiers.profile_id,
        row_number() over (
            partition by candidates.identity_key
            order by identifier_types.priority, candidates.identifier_id
        ) as resolution_rank
    from candidates
    inner join profile_identifiers
        on candidates.identifier_id = profile_identifiers.identifier_id
    inner join identifier_types
        on candidates.identifier_type = identifier_types.identifier_type

),

located as (

    select
        chosen.*,
        coalesce(by_country.jurisdiction_group, by_law.jurisdiction_group)
            as jurisdiction_group
    from chosen
    left join jurisdictions as by_country
        on
            by_country.match_type = 'country'
            and chosen.country_code = by_country.code
    left join jurisdictions as by_law
        on
            by_law.match_type = 'law'
            and chosen.law = by_law.code

),

final as (

    select
        cast(
            {{ dbt.hash(dbt.concat([
            'located.signal_id', "'|'", "coalesce(located.purpose, '')"])) }}
            as {{ dbt.type_string() }}
        ) as consent_event_id,
        cast(located.signal_id as {{ dbt.type_string() }}) as signal_id,
        cast(located.source_name as {{ dbt.type_string() }}) as source_name,
        cast(located.source_system as {{ dbt.type_string() }})
            as source_system,
        cast(located.source_record_id as {{ dbt.type_string() }})
            as source_record_id,
        cast(located.signal_name as {{ dbt.type_string() }}) as signal_name,
        cast(located.purpose as {{ dbt.type_string() }}) as purpose,
        cast(located.signal_value as {{ dbt.type_string() }})
            as consent_status,
        cast(located.captured_at as {{ dbt.type_timestamp() }})
            as captured_at,
        cast(located.country_code as {{ dbt.type_string() }})
            as country_code,
        cast(located.law as {{ dbt.type_string() }}) as law,
        cast(located.jurisdiction_group as {{ dbt.type_string() }})
            as jurisdiction_group,
        cast(resolved.profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(resolved.identifier_type as {{ dbt.type_string() }})
            as resolved_identifier_type
    from located
    left join resolved
        on
            located.identity_key = resolved.identity_key
            and resolved.resolution_rank = 1
    left join erased_keys
        on located.identity_key = erased_keys.identity_key
    where erased_keys.identity_key is null

)

select * from final
