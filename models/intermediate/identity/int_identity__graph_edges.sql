with

edges as (

    select * from {{ ref('int_identity__edges_ruled') }}
    where is_linked

),

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where not is_blocked

),

-- Every usable identifier is a node even when all its edges were cut: a
-- row with no partner puts it in a cluster of its own.
lone_nodes as (

    select distinct
        node as node_a,
        cast(null as {{ dbt.type_string() }}) as node_b
    from identifiers

),

final as (

    select
        node_a,
        node_b
    from edges
    union all
    select
        node_a,
        node_b
    from lone_nodes

)

select * from final
