{#- Fails with every fixture graph whose number of components differs
    from the one it was built to have. Fixture nodes are named
    '<graph>:<id>' (identity_fixture_node), so the graph is the text before
    the first ':'; expected maps each graph to its count, and a graph
    missing on either side fails too. -#}
{% test fixture_component_counts(model, expected) %}

with

components as (

    select
        {{ dbt.split_part('node', "':'", 1) }} as graph_name,
        component_id
    from {{ model }}

),

actual as (

    select
        graph_name,
        count(distinct component_id) as component_count
    from components
    group by graph_name

),

expected as (

    {% for graph_name, component_count in expected.items() %}
        select
            '{{ graph_name }}' as graph_name,
            {{ component_count }} as component_count
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        coalesce(actual.graph_name, expected.graph_name) as graph_name,
        actual.component_count,
        expected.component_count as expected_component_count
    from actual
    full outer join expected
        on actual.graph_name = expected.graph_name
    where
        actual.graph_name is null
        or expected.graph_name is null
        or actual.component_count <> expected.component_count

)

select * from final

{% endtest %}
