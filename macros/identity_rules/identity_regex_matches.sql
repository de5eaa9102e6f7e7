{#- Whether a text expression matches a regular expression held in a column
    (a blocked-value rule), not a literal: macros/cross_db/regexp.sql takes
    literal patterns only. -#}
{% macro identity_regex_matches(expression, pattern_expression) -%}
    {{ return(adapter.dispatch('identity_regex_matches', 'warehouse_cdp')(
        expression, pattern_expression)) }}
{%- endmacro %}

{% macro default__identity_regex_matches(expression, pattern_expression) -%}
    regexp_like({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{#- DuckDB names the search regexp_matches. -#}
{% macro duckdb__identity_regex_matches(expression, pattern_expression) -%}
    regexp_matches({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{#- Postgres has regexp_like only from version 15; ~ searches in all. -#}
{% macro postgres__identity_regex_matches(expression, pattern_expression) -%}
    ({{ expression }} ~ {{ pattern_expression }})
{%- endmacro %}

{#- The node key of an identifier, '<identifier_type>:<identifier_value>',
    the text the clustering engine works on. -#}
{% macro identity_node(type_expression, value_expression) -%}
    {{ dbt.concat([type_expression, "':'", value_expression]) }}
{%- endmacro %}
