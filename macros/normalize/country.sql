{#- Country names and codes as people type them, mapped to ISO 3166-1
    alpha-2. Any other two-letter value is taken as a code already; anything
    else is null. Add a spelling here when a source uses a new one. -#}
{% macro country_aliases() -%}
    {{ return({
        'US': ['USA', 'UNITED STATES', 'UNITED STATES OF AMERICA', 'AMERICA'],
        'CA': ['CAN', 'CANADA'],
        'GB': ['UK', 'GBR', 'UNITED KINGDOM', 'GREAT BRITAIN', 'ENGLAND',
               'SCOTLAND', 'WALES', 'NORTHERN IRELAND'],
        'DE': ['DEU', 'GERMANY', 'DEUTSCHLAND'],
        'FR': ['FRA', 'FRANCE'],
        'NL': ['NLD', 'NETHERLANDS', 'THE NETHERLANDS', 'HOLLAND', 'NEDERLAND'],
        'ES': ['ESP', 'SPAIN', 'ESPANA', 'ESPAÑA'],
        'IT': ['ITA', 'ITALY', 'ITALIA'],
        'IE': ['IRL', 'IRELAND', 'EIRE'],
        'SE': ['SWE', 'SWEDEN', 'SVERIGE'],
        'BE': ['BEL', 'BELGIUM', 'BELGIQUE', 'BELGIE'],
        'AT': ['AUT', 'AUSTRIA', 'OSTERREICH', 'ÖSTERREICH'],
        'PL': ['POL', 'POLAND', 'POLSKA'],
        'DK': ['DNK', 'DENMARK', 'DANMARK'],
        'PT': ['PRT', 'PORTUGAL'],
        'FI': ['FIN', 'FINLAND', 'SUOMI'],
        'NO': ['NOR', 'NORWAY', 'NORGE'],
        'CH': ['CHE', 'SWITZERLAND', 'SCHWEIZ', 'SUISSE'],
        'AU': ['AUS', 'AUSTRALIA'],
    }) }}
{%- endmacro %}

{% macro normalize_country(expression) -%}
    {%- set key = regexp_replace_all(
        'upper(trim(' ~ expression ~ '))', '[.]', '') -%}
    case
    {%- for code, aliases in country_aliases().items() %}
        when {{ key }} in ('{{ aliases | join("', '") }}') then '{{ code }}'
    {%- endfor %}
        when {{ regexp_contains(key, '^[A-Z]{2}$') }} then {{ key }}
    end
{%- endmacro %}
