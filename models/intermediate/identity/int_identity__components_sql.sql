{{ config(materialized='connected_components') }}

select
    node_a,
    node_b
from {{ ref('int_identity__graph_edges_scoped') }}
