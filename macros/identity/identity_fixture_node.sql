{#- A node of an identity fixture graph, '<graph>:<prefix><number>' with
    the number zero-padded to width digits, so that text order follows
    number order inside a graph. The part before ':' names the graph (see
    the fixture_component_counts test). -#}
{% macro identity_fixture_node(graph_name, number, width, prefix='') -%}
    {{ dbt.concat([
        "'" ~ graph_name ~ ":" ~ prefix ~ "'",
        "lpad(cast(" ~ number ~ " as " ~ dbt.type_string() ~ "), "
            ~ width ~ ", '0')",
    ]) }}
{%- endmacro %}

{#- A text literal of a fixture, or a typed null for none. -#}
{% macro identity_fixture_literal(value) -%}
    {%- if value is none -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        cast('{{ value }}' as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
