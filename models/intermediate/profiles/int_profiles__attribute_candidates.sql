with

crm_contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

crm_accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

crm_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

shop_customers as (

    select * from {{ ref('stg_shop__customers') }}

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

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

-- A contact's company is the name of its CRM account.
contacts_with_company as (

    select
        crm_contacts.*,
        crm_accounts.account_name as company
    from crm_contacts
    left join crm_accounts
        on crm_contacts.account_id = crm_accounts.account_id

),

{#- One entry per source: its CTE, record key, observation time, whether
    the source deleted the record, and (attribute_name, value column, flag of
    an unreadable value or none). -#}
{%- set people = [
    {'source': 'crm_contacts', 'cte': 'contacts_with_company',
     'key': 'contact_id', 'observed_at': 'coalesce(updated_at, created_at)',
     'deleted': 'is_deleted',
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
        ('phone', 'mobile_phone', 'has_invalid_mobile_phone'),
        ('country_code', 'country_code', none),
        ('street', 'mailing_street', none),
        ('city', 'mailing_city', none),
        ('postal_code', 'mailing_postal_code', none),
        ('company', 'company', none),
        ('job_title', 'title', none),
     ]},
    {'source': 'crm_leads', 'cte': 'crm_leads',
     'key': 'lead_id', 'observed_at': 'coalesce(updated_at, created_at)',
     'deleted': 'is_deleted',
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
        ('country_code', 'country_code', 'has_invalid_country'),
        ('company', 'company', none),
        ('job_title', 'title', none),
     ]},
    {'source': 'shop_customers', 'cte': 'shop_customers',
     'key': 'customer_id', 'observed_at': 'coalesce(updated_at, created_at)',
     'deleted': none,
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
        ('country_code', 'country_code', 'has_invalid_country'),
        ('city', 'city', none),
        ('postal_code', 'postal_code', none),
     ]},
    {'source': 'esp_subscribers', 'cte': 'esp_subscribers',
     'key': 'subscriber_id', 'observed_at': 'coalesce(updated_at, created_at)',
     'deleted': none,
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
        ('country_code', 'country_code', none),
     ]},
    {'source': 'offline_loyalty_members', 'cte': 'loyalty_members',
     'key': 'loyalty_id', 'observed_at': 'coalesce(updated_at, enrolled_at)',
     'deleted': none,
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
        ('country_code', 'country_code', 'has_invalid_country'),
        ('postal_code', 'postal_code', none),
     ]},
    {'source': 'tracking_identifies', 'cte': 'tracking_identifies',
     'key': 'identify_id', 'observed_at': 'event_at',
     'deleted': none,
     'values': [
        ('first_name', 'first_name', none),
        ('last_name', 'last_name', none),
        ('email', 'email', 'has_invalid_email'),
        ('phone', 'phone', 'has_invalid_phone'),
     ]},
] %}

-- Every value a record offers, and every value it offered that could not
-- be read (value null, flagged), so that an unreadable newer value is on
-- record and still loses to a readable older one.
observed_values as (

    {% for source in people %}
        {% for attribute_name, column, invalid_flag in source['values'] %}
            select
                '{{ source["source"] }}' as source_name,
                cast({{ source['key'] }} as {{ dbt.type_string() }})
                    as source_record_id,
                '{{ column }}' as source_column,
                '{{ attribute_name }}' as attribute_name,
                cast(
                    nullif(trim({{ column }}), '')
                    as {{ dbt.type_string() }}
                ) as attribute_value,
                {{ source['observed_at'] }} as observed_at,
                {% if invalid_flag %}
                    coalesce({{ invalid_flag }}, false)
                {% else %}
                    false
                {% endif %} as is_unreadable,
                {% if source['deleted'] %}
                    coalesce({{ source['deleted'] }}, false)
                {% else %}
                    false
                {% endif %} as is_deleted_in_source
            from {{ source['cte'] }}
            where
                {{ source['key'] }} is not null
                and (
                    nullif(trim({{ column }}), '') is not null
                    {% if invalid_flag %}
                        or {{ invalid_flag }}
                    {% endif %}
                )
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- The profile of a record is the profile of its anchor identifier (its
-- strongest usable one); a record whose identifiers are all blocked has
-- no profile and offers nothing.
record_profiles as (

    select
        identifiers.source_name,
        identifiers.source_record_id,
        profile_identifiers.profile_id
    from identifiers
    inner join profile_identifiers
        on identifiers.node = profile_identifiers.identifier_id
    where identifiers.is_record_anchor

),

-- Emails and phones blocked by the identity rules (test@test.com,
-- +10000000000) are junk as attribute_name values too.
blocked_values as (

    select distinct
        source_name,
        source_record_id,
        identifier_type,
        identifier_value
    from identifiers
    where is_blocked and identifier_type in ('email', 'phone')

),

-- Identity resolution can give an email or phone to another profile than
-- the record's (a per-type limit cut it off): it is not this profile's.
identifier_owners as (

    select
        identifier_type,
        identifier_value,
        profile_id as owner_profile_id
    from profile_identifiers
    where identifier_type in ('email', 'phone')

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'observed_values.source_name', "'|'",
            'observed_values.source_record_id', "'|'",
            'observed_values.source_column',
        ])) }} as candidate_id,
        record_profiles.profile_id,
        observed_values.attribute_name,
        observed_values.attribute_value,
        observed_values.source_name,
        observed_values.source_record_id,
        observed_values.source_column,
        observed_values.observed_at,
        case
            when observed_values.is_deleted_in_source then 'deleted_in_source'
            when observed_values.is_unreadable then 'unreadable'
            when blocked_values.identifier_value is not null
                then 'blocked_value'
            when
                identifier_owners.owner_profile_id
                <> record_profiles.profile_id
                then 'held_by_other_profile'
        end as invalid_reason,
        not coalesce(
            observed_values.is_deleted_in_source
            or observed_values.is_unreadable
            or blocked_values.identifier_value is not null
            or identifier_owners.owner_profile_id <> record_profiles.profile_id
            or observed_values.attribute_value is null,
            false
        ) as is_valid
    from observed_values
    inner join record_profiles
        on
            observed_values.source_name = record_profiles.source_name
            and observed_values.source_record_id
            = record_profiles.source_record_id
    left join blocked_values
        on
            observed_values.source_name = blocked_values.source_name
            and observed_values.source_record_id
            = blocked_values.source_record_id
            and observed_values.attribute_name = blocked_values.identifier_type
            and observed_values.attribute_value
            = blocked_values.identifier_value
    left join identifier_owners
        on
            observed_values.attribute_name = identifier_owners.identifier_type
            and observed_values.attribute_value
            = identifier_owners.identifier_value

)

select * from final
