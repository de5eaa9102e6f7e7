{%- set attributes = profile_attribute_sources().keys() | list -%}

with

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

golden_attributes as (

    select * from {{ ref('int_profiles__golden_attributes') }}

),

country_regions as (

    select * from {{ ref('profile_country_regions') }}

),

profile_links as (

    select * from {{ ref('int_accounts__profile_links') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

primary_accounts as (

    select
        profile_id,
        account_id,
        link_method
    from profile_links
    where is_primary_account

),

profiles as (

    select
        profile_id,
        count(*) as identifier_count,
        sum(
            case when identifier_type = 'anonymous_id' then 0 else 1 end
        ) as known_identifier_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from profile_identifiers
    group by profile_id

),

identifier_lists as (

    select
        profile_id,
        identifier_type,
        {{ dbt.listagg('identifier_value', "', '",
            'order by last_seen_at desc, '
            ~ binary_collation('identifier_value')) }}
            as identifier_values
    from profile_identifiers
    where identifier_type in ('email', 'phone')
    group by profile_id, identifier_type

),

golden_wide as (

    select
        {% for attribute_name in attributes %}
            max(
                case
                    when attribute_name = '{{ attribute_name }}'
                        then attribute_value
                end
            ) as {{ attribute_name }},
            max(
                case
                    when attribute_name = '{{ attribute_name }}'
                        then source_name
                end
            ) as {{ attribute_name }}_source,
            max(
                case
                    when attribute_name = '{{ attribute_name }}'
                        then observed_at
                end
            ) as {{ attribute_name }}_observed_at,
        {% endfor %}
        profile_id
    from golden_attributes
    group by profile_id

),

final as (

    select
        cast(profiles.profile_id as {{ dbt.type_string() }}) as profile_id,
        profiles.known_identifier_count = 0 as is_anonymous,
        {% for attribute_name in attributes %}
            cast(
                golden_wide.{{ attribute_name }} as {{ dbt.type_string() }}
            ) as {{ attribute_name }},
            cast(
                golden_wide.{{ attribute_name }}_source
                as {{ dbt.type_string() }}
            ) as {{ attribute_name }}_source,
            cast(
                golden_wide.{{ attribute_name }}_observed_at
                as {{ dbt.type_timestamp() }}
            ) as {{ attribute_name }}_observed_at,
        {% endfor %}
        -- The region follows the golden country and shares its provenance.
        cast(country_regions.region as {{ dbt.type_string() }}) as region,
        cast(primary_accounts.account_id as {{ dbt.type_string() }})
            as primary_account_id,
        cast(primary_accounts.link_method as {{ dbt.type_string() }})
            as account_link_method,
        cast(emails.identifier_values as {{ dbt.type_string() }}) as emails,
        cast(phones.identifier_values as {{ dbt.type_string() }}) as phones,
        cast(profiles.identifier_count as {{ dbt.type_bigint() }})
            as identifier_count,
        cast(profiles.first_seen_at as {{ dbt.type_timestamp() }})
            as first_seen_at,
        cast(profiles.last_seen_at as {{ dbt.type_timestamp() }})
            as last_seen_at
    from profiles
    left join golden_wide
        on profiles.profile_id = golden_wide.profile_id
    left join country_regions
        on golden_wide.country_code = country_regions.country_code
    left join primary_accounts
        on profiles.profile_id = primary_accounts.profile_id
    left join identifier_lists as emails
        on
            profiles.profile_id = emails.profile_id
            and emails.identifier_type = 'email'
    left join identifier_lists as phones
        on
            profiles.profile_id = phones.profile_id
            and phones.identifier_type = 'phone'
    left join erased_profiles
        on profiles.profile_id = erased_profiles.profile_id
    where erased_profiles.profile_id is null

)

select * from final
