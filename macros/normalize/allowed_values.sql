{#- A category value mapped onto the values a contract allows. The value
    is reduced to a key first: lower case, every run of characters other
    than letters and digits one underscore, none at either end ("Closed -
    Won" and "closed/won" both give closed_won). Each allowed value matches
    itself; `aliases` lists the other keys that mean it, e.g.
    {'closed_won': ['won']}. Anything else, or no value, is null: models
    flag a given value that did not map. -#}
{% macro category_key(expression) -%}
    {{ regexp_replace_all(
        regexp_replace_all(
            'lower(' ~ clean_text(expression) ~ ')', '[^a-z0-9]+', '_'),
        '^_|_$', '') }}
{%- endmacro %}

{% macro map_category(expression, aliases) -%}
    case {{ category_key(expression) }}
    {%- for allowed, variants in aliases.items() %}
        {%- for key in [allowed] + variants %}
        when '{{ key }}' then '{{ allowed }}'
        {%- endfor %}
    {%- endfor %}
    end
{%- endmacro %}
