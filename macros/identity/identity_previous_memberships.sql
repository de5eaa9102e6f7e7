{#- The component memberships as the previous run left them, for the
    model that decides what this run must recluster
    (int_identity__clustering_scope). That model runs before
    int_identity__component_memberships rebuilds, and cannot ref it
    without a cycle: it reads the table directly, and gets no rows when
    the table does not exist yet (a first build). Returns a parenthesised
    select, to use as `from {{ identity_previous_memberships() }} as x`;
    unit tests override this macro with a select of their own rows. -#}
{% macro identity_previous_memberships() %}
    {%- set relation = none -%}
    {%- if execute -%}
        {%- set node = graph.nodes.get(
            'model.' ~ project_name
            ~ '.int_identity__component_memberships') -%}
        {%- if node is not none -%}
            {%- set relation = adapter.get_relation(
                database=node.database,
                schema=node.schema,
                identifier=node.alias) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if relation is not none -%}
        (select
            node,
            component_id,
            is_current,
            rules_hash,
            clustered_at
        from {{ relation }})
    {%- else -%}
        (select
            cast(null as {{ dbt.type_string() }}) as node,
            cast(null as {{ dbt.type_string() }}) as component_id,
            cast(null as {{ dbt.type_boolean() }}) as is_current,
            cast(null as {{ dbt.type_string() }}) as rules_hash,
            cast(null as {{ dbt.type_timestamp() }}) as clustered_at
        where 1 = 0)
    {%- endif -%}
{% endmacro %}

{#- A SQL boolean: true when this run is a --full-refresh. -#}
{% macro identity_is_full_refresh() -%}
    {{ 'true' if flags.FULL_REFRESH else 'false' }}
{%- endmacro %}

{#- The start of this run as a timestamp literal, to the microsecond, so
    that two runs never share a stamp. -#}
{% macro identity_run_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'
        as {{ dbt.type_timestamp() }})
{%- endmacro %}
