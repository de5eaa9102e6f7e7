"""Connected components of the identity graph, by the Python engine.

One row per identifier node this run reclusters (the nodes of
int_identity__graph_edges_scoped) with its component, from
cdp.connected_components on DuckDB; int_identity__components_sql gives the
same rows on any warehouse, and int_identity__component_memberships reads
the engine that var cdp_components_engine chooses.
"""

from __future__ import annotations

import duckdb

from cdp.connected_components import component_relation


def model(dbt, session: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    dbt.config(materialized="table")
    graph_edges = dbt.ref("int_identity__graph_edges_scoped")
    return component_relation(
        session,
        f"select node_a, node_b from ({graph_edges.sql_query()}) as graph_edges",
    )
