{#- The golden attributes of a profile and the staged sources that offer
    each one (int_profiles__attribute_candidates builds the candidates;
    seeds/profiles/profile_survivorship.csv says how one is chosen). The
    order is the column order of dim_profiles. -#}
{% macro profile_attribute_sources() -%}
    {%- set people = ['crm_contacts', 'crm_leads', 'shop_customers',
                      'esp_subscribers', 'offline_loyalty_members',
                      'tracking_identifies'] -%}
    {{ return({
        'first_name': people,
        'last_name': people,
        'email': people,
        'phone': people,
        'country_code': ['crm_contacts', 'crm_leads', 'shop_customers',
                         'esp_subscribers', 'offline_loyalty_members'],
        'street': ['crm_contacts'],
        'city': ['crm_contacts', 'shop_customers'],
        'postal_code': ['crm_contacts', 'shop_customers',
                        'offline_loyalty_members'],
        'company': ['crm_contacts', 'crm_leads'],
        'job_title': ['crm_contacts', 'crm_leads'],
    }) }}
{%- endmacro %}

{#- The survivorship rules the seed may name. -#}
{% macro profile_survivorship_rules() -%}
    {{ return(['source_precedence', 'most_recent', 'most_frequent']) }}
{%- endmacro %}
