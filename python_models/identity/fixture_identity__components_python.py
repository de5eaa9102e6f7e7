"""Connected components of the identity fixture graphs, by the Python engine.

One row per fixture node with its component (cdp.connected_components on
DuckDB); the tests hold it equal to the SQL engine's result row for row.
"""

from __future__ import annotations

import duckdb

from cdp.connected_components import component_relation


def model(dbt, session: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    dbt.config(materialized="table")
    edges = dbt.ref("fixture_identity__edges")
    return component_relation(
        session, f"select node_a, node_b from ({edges.sql_query()}) as edges"
    )
