with

graph_links as (

    select * from {{ ref('int_identity__graph_links') }}
    where is_current

),

scope as (

    select * from {{ ref('int_identity__clustering_scope') }}

),

final as (

    select
        graph_links.node_a,
        graph_links.node_b
    from graph_links
    inner join scope
        on graph_links.node_a = scope.node

)

select * from final
