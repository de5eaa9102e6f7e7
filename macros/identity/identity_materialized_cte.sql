{#- The keyword that makes a CTE be computed once, where the warehouse
    has one. int_identity__limit_splits chains one CTE per search round;
    planned inline, the chain's plan grows faster than the rounds (DuckDB
    took 5 s for 16 rounds, 0.4 s for 8), computed once it stays linear.
    Use: `name as {{ identity_materialized_cte() }} (select ...)`. -#}
{% macro identity_materialized_cte() -%}
    {{ return(adapter.dispatch('identity_materialized_cte',
                               'warehouse_cdp')()) }}
{%- endmacro %}

{% macro default__identity_materialized_cte() -%}
{%- endmacro %}

{% macro duckdb__identity_materialized_cte() -%}
    materialized
{%- endmacro %}

{% macro postgres__identity_materialized_cte() -%}
    materialized
{%- endmacro %}
