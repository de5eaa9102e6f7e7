"""Connected components of an edge list on DuckDB: the Python engine.

The Python twin of the connected_components materialization
(macros/identity/connected_components.sql): the same input (an edge list
with node_a and node_b), the same output (one row per node with node and
component_id, the smallest node of its component in byte order), the same
rules for duplicates, self loops and null ends. dbt Python models on DuckDB
call component_relation (see python_models/identity/), and so does the
benchmark (cdp.bench_components).

The graph work is one call to scipy.sparse.csgraph.connected_components on
integer node codes. The text work stays in DuckDB, on the caller's
connection: giving every node a code, coding the edges, and finding the
smallest node of each component. Doing that in pandas is far slower
(factorising ten million strings takes longer than everything else here
together). The node codes live in a temporary table of that connection; in
a dbt Python model that is the cursor dbt-duckdb opens for the model alone.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

NODES_TABLE = "identity_components_nodes"
COMPONENT_NUMBERS_VIEW = "identity_components_numbers"


def code_nodes(session: duckdb.DuckDBPyConnection, edges_sql: str) -> int:
    """Stores every non-null node with a code 0..n-1; returns n.

    The codes are arbitrary: the canonical label is found from the text
    at the end, so no sort of all nodes is needed.
    """
    session.execute(
        f"""
        create or replace temp table {NODES_TABLE} as
        with

        endpoints as (

            select distinct unnest([
                cast(node_a as varchar), cast(node_b as varchar)
            ]) as node
            from ({edges_sql}) as edge_list

        )

        select
            node,
            cast(row_number() over () - 1 as bigint) as node_code
        from endpoints
        where node is not null
        """
    )
    return session.sql(f"select count(*) from {NODES_TABLE}").fetchone()[0]


def coded_edges(
    session: duckdb.DuckDBPyConnection, edges_sql: str
) -> tuple[np.ndarray, np.ndarray]:
    """Both ends of every edge with two non-null ends, as node codes."""
    coded = session.sql(
        f"""
        select
            node_a_codes.node_code as code_a,
            node_b_codes.node_code as code_b
        from ({edges_sql}) as edge_list
        inner join {NODES_TABLE} as node_a_codes
            on cast(edge_list.node_a as varchar) = node_a_codes.node
        inner join {NODES_TABLE} as node_b_codes
            on cast(edge_list.node_b as varchar) = node_b_codes.node
        """
    ).fetchnumpy()
    return np.asarray(coded["code_a"]), np.asarray(coded["code_b"])


def component_numbers(
    code_a: np.ndarray, code_b: np.ndarray, node_count: int
) -> np.ndarray:
    """The component number of every node code, from scipy.

    Duplicate edges add up and self loops sit on the diagonal; neither
    changes connectivity.
    """
    adjacency = coo_matrix(
        (np.ones(len(code_a), dtype=np.int32), (code_a, code_b)),
        shape=(node_count, node_count),
    ).tocsr()
    _, numbers = connected_components(adjacency, directed=False)
    return numbers


def component_relation(
    session: duckdb.DuckDBPyConnection, edges_sql: str
) -> duckdb.DuckDBPyRelation:
    """One row per node: node and component_id, the component's smallest
    node (DuckDB compares text byte by byte)."""
    node_count = code_nodes(session, edges_sql)
    code_a, code_b = coded_edges(session, edges_sql)
    numbers = pd.DataFrame(
        {
            "node_code": np.arange(node_count, dtype=np.int64),
            "component_number": component_numbers(code_a, code_b, node_count),
        }
    )
    session.register(COMPONENT_NUMBERS_VIEW, numbers)
    return session.sql(
        f"""
        with

        numbered as (

            select
                nodes.node,
                numbers.component_number
            from {NODES_TABLE} as nodes
            inner join {COMPONENT_NUMBERS_VIEW} as numbers
                on nodes.node_code = numbers.node_code

        ),

        smallest as (

            select
                component_number,
                min(node) as component_id
            from numbered
            group by component_number

        ),

        final as (

            select
                numbered.node,
                smallest.component_id
            from numbered
            inner join smallest
                on numbered.component_number = smallest.component_number

        )

        select * from final
        """
    )
