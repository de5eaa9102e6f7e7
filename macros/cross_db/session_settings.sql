{#- Session settings a model runs with, as a pre-hook of every model
    (dbt_project.yml). Empty where a warehouse needs none (dbt skips an
    empty hook).

    Postgres: JIT compilation off, unless var cdp_postgres_jit is true.
    Postgres decides to compile a query from its cost estimate; the row
    estimates of long CTE chains (the identity search rounds, the consent
    rules) multiply into numbers no table reaches, so it compiled thousands
    of functions for queries that read a few hundred thousand rows. -#}
{% macro session_settings() -%}
    {{ return(adapter.dispatch('session_settings', 'warehouse_cdp')()) }}
{%- endmacro %}

{% macro default__session_settings() -%}
{%- endmacro %}

{% macro postgres__session_settings() -%}
    {%- if not var('cdp_postgres_jit') -%}
        set jit = off
    {%- endif -%}
{%- endmacro %}
