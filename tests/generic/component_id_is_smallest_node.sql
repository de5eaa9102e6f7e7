{#- Fails with every component whose component_id is not its smallest
    node in byte order, the canonical label every engine must give. It
    checks the labels, not the grouping (same_components_as does that). -#}
{% test component_id_is_smallest_node(model) %}

with

components as (

    select
        component_id,
        min({{ binary_collation('node') }}) as smallest_node
    from {{ model }}
    group by component_id

),

final as (

    select
        component_id,
        smallest_node
    from components
    where smallest_node <> component_id

)

select * from final

{% endtest %}
