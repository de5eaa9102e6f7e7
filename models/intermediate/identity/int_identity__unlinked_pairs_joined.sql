with

link_overrides as (

    select * from {{ ref('identity_link_overrides') }}
    where action = 'do_not_link'

),

clusters as (

    select * from {{ ref('int_identity__clusters') }}

),

pairs as (

    select
        reason,
        {{ identity_node('identifier_type_a', 'identifier_value_a') }}
            as node_a,
        {{ identity_node('identifier_type_b', 'identifier_value_b') }}
            as node_b
    from link_overrides

),

final as (

    select
        pairs.node_a,
        pairs.node_b,
        clusters_a.component_id,
        pairs.reason
    from pairs
    inner join clusters as clusters_a
        on pairs.node_a = clusters_a.node
    inner join clusters as clusters_b
        on pairs.node_b = clusters_b.node
    where clusters_a.component_id = clusters_b.component_id

)

select * from final
