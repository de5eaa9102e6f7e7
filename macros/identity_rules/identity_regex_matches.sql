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

{#- Why a pattern held in a column cannot be read as a regular expression
    by this warehouse, or null when it can: the identity rule check uses it
    so that a broken blocked-value pattern fails the build with its row,
    not halfway through a model with the warehouse's bare error. -#}
{% macro identity_regex_error(pattern_expression) -%}
    {{ return(adapter.dispatch('identity_regex_error', 'warehouse_cdp')(
        pattern_expression)) }}
{%- endmacro %}

{% macro default__identity_regex_error(pattern_expression) -%}
    cast(null as {{ dbt.type_string() }})
{%- endmacro %}

{#- try() turns DuckDB's error on a pattern it cannot compile into null. -#}
{% macro duckdb__identity_regex_error(pattern_expression) -%}
    case
        when try(regexp_matches('', {{ pattern_expression }})) is null
            then 'DuckDB, which reads RE2 syntax, cannot compile it'
    end
{%- endmacro %}

{#- cdp_regex_error (macros/cross_db/create_udfs.sql) catches the error and
    returns Postgres's own message. -#}
{% macro postgres__identity_regex_error(pattern_expression) -%}
    {{ target.schema }}.cdp_regex_error({{ pattern_expression }})
{%- endmacro %}
