{#- Which engine computes connected components on this target, from var
    cdp_components_engine (dbt_project.yml):
    - auto (the default): python on DuckDB, where the scipy engine runs
      in-process and is several times faster; sql everywhere else, since
      dbt-postgres (like most adapters) runs no Python models;
    - sql: the connected_components materialization, on any warehouse;
    - python: the scipy engine, DuckDB only.

    A graph that needs components gets three models:
    - <name>_sql, materialized connected_components, whose SQL selects the
      edge list (node_a, node_b);
    - <name>_python, a Python model that returns
      cdp.connected_components.component_relation(session, <edge list SQL>)
      and is gated in its YAML with
          enabled: "{{ target.type == 'duckdb'
                       and var('cdp_components_engine') != 'sql' }}"
      (dbt.config() in the .py file cannot read the target);
    - <name>, which selects from {{ ref_components('<name>') }}.
    models/fixtures/identity/fixture_identity__components*.sql and
    python_models/identity/ follow this pattern (their Python model is
    always built on DuckDB, to compare the engines). -#}
{% macro components_engine() %}
    {%- set choice = var('cdp_components_engine', 'auto') -%}
    {%- if choice == 'auto' -%}
        {{ return('python' if target.type == 'duckdb' else 'sql') }}
    {%- elif choice == 'sql' -%}
        {{ return('sql') }}
    {%- elif choice == 'python' and target.type == 'duckdb' -%}
        {{ return('python') }}
    {%- elif choice == 'python' -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_components_engine is python, but the Python engine"
            ~ " runs on DuckDB only and this target is " ~ target.type
            ~ ": set it to sql or auto.") }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var cdp_components_engine is " ~ choice ~ ": use auto, sql"
            ~ " or python.") }}
    {%- endif -%}
{% endmacro %}

{#- The relation of the chosen engine's model of a graph. -#}
{% macro ref_components(model_name) %}
    {{ return(ref(model_name ~ '_' ~ components_engine())) }}
{% endmacro %}
