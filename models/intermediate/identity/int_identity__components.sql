{{ config(materialized='view') }}

with

components as (

    select
        node,
        component_id
    from {{ ref_components('int_identity__components') }}

),

final as (

    select * from components

)

select * from final
