{{ config(materialized='view') }}

with

memberships as (

    select * from {{ ref('int_identity__component_memberships') }}
    where is_current

),

final as (

    select
        node,
        component_id
    from memberships

)

select * from final
