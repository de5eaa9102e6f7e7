{#- Regular expressions differ by warehouse in name and in their flags, so
    every regex in the project goes through these two dispatchers. -#}

{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'warehouse_cdp')(
        expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro regexp_contains(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'warehouse_cdp')(
        expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_contains(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regexp_contains(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regexp_contains(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{#- Every match of a pattern's first group in a text, one row per match:
    a set-returning expression, for the select list of a query that has
    one input row per text (no other set-returning expression beside it).
    A text without a match gives no row. -#}
{% macro regexp_extract_each(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_each', 'warehouse_cdp')(
        expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_extract_each(expression, pattern) -%}
    unnest(regexp_extract_all({{ expression }}, '{{ pattern }}', 1))
{%- endmacro %}

{% macro postgres__regexp_extract_each(expression, pattern) -%}
    (regexp_matches({{ expression }}, '{{ pattern }}', 'g'))[1]
{%- endmacro %}
