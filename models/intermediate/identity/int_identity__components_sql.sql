{{ config(materialized='connected_components') }}

select
    node_a,
    node_b
from {{ ref('int_identity__graph_edges_scoped') }}
{#- Where another engine clusters (Python on DuckDB), this model only
    serves the cross-check, and is built empty without it. #}
{%- if components_engine() != 'sql'
    and not var('cdp_components_cross_check') %}
    where 1 = 0
{%- endif %}
