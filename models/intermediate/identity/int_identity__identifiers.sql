{{ validate_identity_rules() }}
-- depends_on: {{ ref('identity_link_overrides') }}

with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

crm_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

shop_customers as (

    select * from {{ ref('stg_shop__customers') }}

),

shop_orders as (

    select * from {{ ref('stg_shop__orders') }}

),

esp_subscribers as (

    select * from {{ ref('stg_esp__subscribers') }}

),

loyalty_members as (

    select * from {{ ref('stg_offline__loyalty_members') }}

),

tracking_identifies as (

    select * from {{ ref('stg_tracking__identifies') }}

),

tracking_pages as (

    select * from {{ ref('stg_tracking__pages') }}

),

tracking_tracks as (

    select * from {{ ref('stg_tracking__tracks') }}

),

consent_events as (

    select * from {{ ref('stg_consent__consent_events') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

blocked_values as (

    select * from {{ ref('identity_blocked_values') }}

),

crm_identifiers as (

    {% set crm_contact_values = [
        ('crm_contact_id', 'contact_id'),
        ('email', 'email'),
        ('phone', 'phone'),
        ('phone', 'mobile_phone'),
    ] %}
    {% set crm_lead_values = [
        ('crm_lead_id', 'lead_id'),
        ('crm_contact_id', 'converted_contact_id'),
        ('email', 'email'),
        ('phone', 'phone'),
    ] %}
    {% for identifier_type, column in crm_contact_values %}
        select
            'crm_contacts' as source_name,
            contact_id as source_record_id,
            coalesce(created_at, updated_at) as first_seen_at,
            updated_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from crm_contacts
        union all
    {% endfor %}
    {% for identifier_type, column in crm_lead_values %}
        select
            'crm_leads' as source_name,
            lead_id as source_record_id,
            coalesce(created_at, updated_at) as first_seen_at,
            updated_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from crm_leads
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

shop_identifiers as (

    {% set shop_customer_values = [
        ('shop_customer_id', 'customer_id'),
        ('email', 'email'),
        ('phone', 'phone'),
    ] %}
    {% for identifier_type, column in shop_customer_values %}
        select
            'shop_customers' as source_name,
            customer_id as source_record_id,
            coalesce(created_at, updated_at) as first_seen_at,
            updated_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from shop_customers
        union all
    {% endfor %}
    -- Orders are the only place a guest checkout leaves its email and
    -- phone side by side; a registered buyer's order adds its customer id.
    {% for identifier_type, column in shop_customer_values %}
        select
            'shop_orders' as source_name,
            order_id as source_record_id,
            ordered_at as first_seen_at,
            ordered_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from shop_orders
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

esp_identifiers as (

    {% set esp_subscriber_values = [
        ('esp_subscriber_id', 'subscriber_id'),
        ('email', 'email'),
        ('phone', 'phone'),
    ] %}
    {% for identifier_type, column in esp_subscriber_values %}
        select
            'esp_subscribers' as source_name,
            subscriber_id as source_record_id,
            coalesce(created_at, updated_at) as first_seen_at,
            updated_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from esp_subscribers
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

offline_identifiers as (

    {% set loyalty_member_values = [
        ('loyalty_id', 'loyalty_id'),
        ('email', 'email'),
        ('phone', 'phone'),
    ] %}
    {% for identifier_type, column in loyalty_member_values %}
        select
            'offline_loyalty_members' as source_name,
            loyalty_id as source_record_id,
            coalesce(enrolled_at, updated_at) as first_seen_at,
            updated_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from loyalty_members
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

tracking_events as (

    select
        anonymous_id,
        user_id,
        event_at
    from tracking_pages
    union all
    select
        anonymous_id,
        user_id,
        event_at
    from tracking_tracks

),

-- Page views and track calls only tie a device to a user: one record per
-- pair, not per event, so that the graph grows with people, not traffic.
tracking_event_pairs as (

    select
        anonymous_id,
        user_id,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at
    from tracking_events
    where user_id is not null
    group by anonymous_id, user_id

),

tracking_identifiers as (

    {% set identify_values = [
        ('anonymous_id', 'anonymous_id'),
        ('shop_customer_id', 'user_id'),
        ('email', 'email'),
        ('phone', 'phone'),
    ] %}
    {% for identifier_type, column in identify_values %}
        select
            'tracking_identifies' as source_name,
            identify_id as source_record_id,
            event_at as first_seen_at,
            event_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from tracking_identifies
        union all
    {% endfor %}
    {% for identifier_type, column in identify_values[:2] %}
        select
            'tracking_events' as source_name,
            {{ dbt.concat(['anonymous_id', "'|'", 'user_id']) }}
                as source_record_id,
            first_seen_at,
            last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from tracking_event_pairs
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

consent_identifiers as (

    {% set consent_event_values = [
        ('anonymous_id', 'anonymous_id'),
        ('shop_customer_id', 'user_id'),
        ('email', 'email'),
    ] %}
    {% for identifier_type, column in consent_event_values %}
        select
            'consent_events' as source_name,
            consent_event_id as source_record_id,
            captured_at as first_seen_at,
            captured_at as last_seen_at,
            '{{ identifier_type }}' as identifier_type,
            {{ column }} as identifier_value
        from consent_events
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

unioned as (

    select * from crm_identifiers
    union all
    select * from shop_identifiers
    union all
    select * from esp_identifiers
    union all
    select * from offline_identifiers
    union all
    select * from tracking_identifiers
    union all
    select * from consent_identifiers

),

-- A record can give one value twice (a mobile equal to the work phone):
-- it is one observation.
observed as (

    select
        unioned.source_name,
        unioned.source_record_id,
        unioned.identifier_type,
        unioned.identifier_value,
        identifier_types.priority as identifier_priority,
        min(unioned.first_seen_at) as first_seen_at,
        max(coalesce(unioned.last_seen_at, unioned.first_seen_at))
            as last_seen_at
    from unioned
    inner join identifier_types
        on unioned.identifier_type = identifier_types.identifier_type
    where
        unioned.identifier_value is not null
        and trim(unioned.identifier_value) <> ''
    group by
        unioned.source_name,
        unioned.source_record_id,
        unioned.identifier_type,
        unioned.identifier_value,
        identifier_types.priority

),

-- Rules are matched once per distinct value, not per observation: a
-- junk value seen on thousands of records is tested once. Exact rules join
-- on the value; only the few regex rules are tried against every value,
-- each pattern written in as a literal (macros/identity_rules/
-- identity_regex_rule_matches.sql).
observed_values as (

    select distinct
        identifier_type,
        identifier_value
    from observed

),

rule_candidates as (

    select
        observed_values.identifier_type,
        observed_values.identifier_value,
        blocked_values.identifier_type as blocked_rule_identifier_type,
        blocked_values.match_type as blocked_rule_match_type,
        blocked_values.value as blocked_rule_value
    from observed_values
    inner join blocked_values
        on
            observed_values.identifier_value = blocked_values.value
            and blocked_values.match_type = 'exact'
            and blocked_values.identifier_type
            in (observed_values.identifier_type, '*')
    union all
    {{ identity_regex_rule_matches('observed_values', 'blocked_values') }}

),

-- When several rules block a value, the most specific one is recorded:
-- a rule for the type before a rule for every type, exact before regex.
block_matches as (

    select
        identifier_type,
        identifier_value,
        blocked_rule_identifier_type,
        blocked_rule_match_type,
        blocked_rule_value,
        row_number() over (
            partition by identifier_type, identifier_value
            order by
                case when blocked_rule_identifier_type = '*' then 1
                    else 0
                end,
                case when blocked_rule_match_type = 'exact' then 0
                    else 1
                end,
                blocked_rule_value
        ) as match_rank
    from rule_candidates

),

flagged as (

    select
        observed.*,
        block_matches.blocked_rule_identifier_type,
        block_matches.blocked_rule_match_type,
        block_matches.blocked_rule_value,
        block_matches.match_rank is not null as is_blocked
    from observed
    left join block_matches
        on
            observed.identifier_type = block_matches.identifier_type
            and observed.identifier_value = block_matches.identifier_value
            and block_matches.match_rank = 1

),

-- The record's anchor is its strongest usable identifier (by type
-- priority, then value); every other identifier of the record is linked
-- to it (see int_identity__edges).
anchored as (

    select
        *,
        row_number() over (
            partition by source_name, source_record_id
            order by
                case when is_blocked then 1 else 0 end,
                identifier_priority,
                identifier_value
        ) = 1 and not is_blocked as is_record_anchor
    from flagged

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'source_name', "'|'", 'source_record_id', "'|'",
            'identifier_type', "'|'", 'identifier_value',
        ])) }} as observation_id,
        source_name,
        source_record_id,
        identifier_type,
        identifier_value,
        {{ identity_node('identifier_type', 'identifier_value') }} as node,
        identifier_priority,
        first_seen_at,
        last_seen_at,
        is_blocked,
        blocked_rule_identifier_type,
        blocked_rule_match_type,
        blocked_rule_value,
        is_record_anchor
    from anchored

)

select * from final
