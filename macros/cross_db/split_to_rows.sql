{#- One row per piece of a text cut at each occurrence of a delimiter, as
    a set-returning expression for a select list (empty pieces included).
    DuckDB and Postgres both read this form. -#}
{% macro split_to_rows(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows', 'warehouse_cdp')(
        expression, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(expression, delimiter) -%}
    unnest(string_to_array({{ expression }}, {{ delimiter }}))
{%- endmacro %}
