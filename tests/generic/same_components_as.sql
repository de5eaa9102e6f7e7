{#- Fails with every node whose component_id differs between the model
    and compare_model, or that only one of them has: two answers to the
    same connected-components question must agree row for row. -#}
{% test same_components_as(model, compare_model) %}

with

actual as (

    select node, component_id from {{ model }}

),

compared as (

    select node, component_id from {{ compare_model }}

),

final as (

    select
        coalesce(actual.node, compared.node) as node,
        actual.component_id,
        compared.component_id as compared_component_id
    from actual
    full outer join compared
        on actual.node = compared.node
    where
        actual.node is null
        or compared.node is null
        or actual.component_id <> compared.component_id

)

select * from final

{% endtest %}
