"""Micro-benchmark of the connected-components engines of identity resolution.

Builds random graphs shaped like identity edges (people with a few
identifiers each, repeated sightings written both ways, identifiers shared
between people, junk values linked to thousands of identifiers, lone
identifiers with no partner) and one graph with a giant component, loads
them as text edge lists, and times on each:

- floor: scipy.sparse.csgraph.connected_components on the integer edges,
  the least any engine has to do;
- python (DuckDB): the engine of the dbt Python models
  (cdp.connected_components), on the text edges, writing its table;
- sql (DuckDB) and sql (Postgres): the connected_components materialization's
  engine through `dbt run-operation materialize_connected_components`, timed
  from the end of dbt's parsing to the result table (the fixed cost left,
  measured on a ten-edge graph, is reported as its own row).

A reference row gives the time DuckDB takes just to copy a result table
(text in, text out), which bounds what writing the result costs any engine.

Every engine's output is checked against the others: DuckDB results row for
row, Postgres results after copying them into DuckDB, and the number of
components against scipy's. Seconds on a shared machine drift; the ratios
to the floor measured in the same run are the figures to compare.

    python -m cdp.bench_components [--edges N ...] [--giant-edges N]
        [--postgres-edges N ...] [--postgres-database NAME] [--out bench]

Defaults: identity-like graphs of 1M and 5M edges, a giant-component graph
of 5M edges, and Postgres on the graphs of 1M edges.

Results: <out>/components/results.json and a Markdown table on stdout.
Postgres runs in the database --postgres-database (created when missing),
in a schema dropped at the end; without a server those rows are skipped
with a notice.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from cdp import warehouse
from cdp.connected_components import component_relation

SCHEMA = "bench_components"
IDENTIFIER_KINDS = ("email", "crm", "phone", "anon")
# Node numbers are scrambled into ten digits by an affine map (7919 is prime
# to 10**10, so the map is one to one): text order then differs from the
# order in which the generator numbered the nodes.
NODE_TEXT_SQL = (
    "concat(['email', 'crm', 'phone', 'anon'][{code} % 4 + 1], ':', "
    "lpad(cast(({code} * 7919 + 12345) % 10000000000 as varchar), 10, '0'))"
)


@dataclass
class Graph:
    """An edge list on integer node codes; code_b is -1 for "no partner"."""

    name: str
    size: int
    code_a: np.ndarray
    code_b: np.ndarray
    node_count: int

    @property
    def table(self) -> str:
        return f"{SCHEMA}.{self.name}"


@dataclass
class Timing:
    graph: str
    edges: int
    step: str
    seconds: float
    nodes: int
    components: int


def identity_like_graph(edge_count: int, seed: int) -> Graph:
    """About edge_count edges between the identifiers of simulated people."""
    rng = np.random.default_rng(seed)
    people = max(1, round(edge_count / 2.5))
    per_person = 1 + rng.poisson(1.5, people)
    first = np.cumsum(per_person) - per_person
    owner = np.repeat(np.arange(people), per_person)
    rank = np.arange(per_person.sum()) - first[owner]

    # Each further identifier of a person was seen with one seen earlier,
    # one to several times, in either column.
    later = np.flatnonzero(rank > 0)
    earlier = first[owner[later]] + (rng.random(len(later)) * rank[later]).astype(
        np.int64
    )
    sightings = 1 + rng.poisson(0.5, len(later))
    code_a = np.repeat(later, sightings)
    code_b = np.repeat(earlier, sightings)
    backwards = rng.random(len(code_a)) < 0.5
    code_a[backwards], code_b[backwards] = code_b[backwards], code_a[backwards]

    node_count = int(per_person.sum())
    # Two people in a hundred share an identifier with someone else (a
    # household phone, a shared device), which merges their clusters.
    sharers = rng.choice(people, size=people // 50, replace=False)
    shared_with = rng.integers(0, node_count, len(sharers))
    # Ten junk values ("unknown", "test@test.com") each seen with one
    # identifier in two thousand: the stars a guardrail would cut.
    junk = np.repeat(node_count + np.arange(10), max(1, node_count // 2000))
    junk_partner = rng.integers(0, node_count, len(junk))
    # A person with a single identifier appears without a partner.
    lone = first[per_person == 1]

    order = rng.permutation(len(code_a) + len(sharers) + len(junk) + len(lone))
    return Graph(
        name=f"identity_{edge_count}",
        size=edge_count,
        code_a=np.concatenate([code_a, first[sharers], junk, lone])[order],
        code_b=np.concatenate(
            [code_b, shared_with, junk_partner, np.full(len(lone), -1)]
        )[order],
        node_count=node_count + 10,
    )


def giant_graph(edge_count: int, seed: int) -> Graph:
    """Uniformly random edges, four per node on average: one component holds
    almost every node."""
    rng = np.random.default_rng(seed)
    node_count = max(2, edge_count // 2)
    return Graph(
        name=f"giant_{edge_count}",
        size=edge_count,
        code_a=rng.integers(0, node_count, edge_count),
        code_b=rng.integers(0, node_count, edge_count),
        node_count=node_count,
    )


def scipy_labels(graph: Graph) -> tuple[float, np.ndarray]:
    """The floor: seconds of scipy on the integer edges, and the labels."""
    linked = graph.code_b >= 0
    started = time.perf_counter()
    adjacency = coo_matrix(
        (
            np.ones(int(linked.sum()), dtype=np.int32),
            (graph.code_a[linked], graph.code_b[linked]),
        ),
        shape=(graph.node_count, graph.node_count),
    ).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    return time.perf_counter() - started, labels


def present_counts(graph: Graph, labels: np.ndarray) -> tuple[int, int]:
    """Nodes that occur in the edge list, and their components."""
    present = np.zeros(graph.node_count, dtype=bool)
    present[graph.code_a] = True
    present[graph.code_b[graph.code_b >= 0]] = True
    return int(present.sum()), len(np.unique(labels[present]))


def load_duckdb(database: Path, graph: Graph) -> None:
    import duckdb

    connection = duckdb.connect(str(database))
    try:
        codes = pd.DataFrame({"code_a": graph.code_a, "code_b": graph.code_b})
        connection.register("bench_codes", codes)
        node_a = NODE_TEXT_SQL.format(code="code_a")
        node_b = NODE_TEXT_SQL.format(code="code_b")
        connection.execute(f"create schema if not exists {SCHEMA}")
        connection.execute(
            f"create or replace table {graph.table} as "
            f"select {node_a} as node_a, "
            f"case when code_b >= 0 then {node_b} end as node_b "
            f"from bench_codes"
        )
    finally:
        connection.close()


def run_python_engine(database: Path, graph: Graph, result: str) -> float:
    """Seconds of the Python model's engine, table written as dbt-duckdb does."""
    import duckdb

    connection = duckdb.connect(str(database))
    try:
        started = time.perf_counter()
        relation = component_relation(
            connection, f"select node_a, node_b from {graph.table}"
        )
        connection.register("bench_result", relation)
        connection.execute(
            f"create or replace table {result} as select * from bench_result"
        )
        return time.perf_counter() - started
    finally:
        connection.close()


def copy_seconds(database: Path, result: str) -> float:
    """Seconds DuckDB takes to copy a result table: what writing one node
    table costs any engine, beside the floor of the graph work."""
    import duckdb

    with duckdb.connect(str(database)) as connection:
        started = time.perf_counter()
        connection.execute(f"create or replace table {result}__copy as from {result}")
        seconds = time.perf_counter() - started
        connection.execute(f"drop table {result}__copy")
    return seconds


def run_sql_engine(
    env: Mapping[str, str], target_path: Path, edges: str, result: str
) -> float:
    """Seconds of `dbt run-operation materialize_connected_components`,
    counted from the end of parsing: other people's edits to the project make
    dbt parse again on some calls, which is no part of the engine."""
    from dbt.cli.main import dbtRunner

    parsed_at: list[float] = []

    def note_parsed(event: Any) -> None:
        if event.info.name == "FoundStats":
            parsed_at.append(time.perf_counter())

    arguments = json.dumps({"edges": edges, "result": result})
    with environment(env):
        outcome = dbtRunner(callbacks=[note_parsed]).invoke(
            [
                "run-operation",
                "materialize_connected_components",
                "--args",
                arguments,
                "--project-dir",
                str(warehouse.PROJECT_DIR),
                "--profiles-dir",
                str(warehouse.PROJECT_DIR / ".dbt"),
                "--target-path",
                str(target_path),
                "--log-path",
                str(target_path / "logs"),
            ]
        )
    finished_at = time.perf_counter()
    if not outcome.success or not parsed_at:
        raise SystemExit(
            f"[bench] the SQL engine failed on {edges} ({env['CDP_TARGET']}); "
            f"see the dbt log above"
        )
    return finished_at - parsed_at[-1]


@contextlib.contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """The process environment with env set, as the dbt profile reads it."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# Every DuckDB connection here is opened read-write with no settings, as
# dbt-duckdb opens its own: DuckDB shares one open database per file and
# process only between connections with the same configuration.
def duckdb_scalar(database: Path, sql: str) -> int:
    import duckdb

    with duckdb.connect(str(database)) as connection:
        return int(connection.sql(sql).fetchone()[0])


def result_counts(database: Path, result: str) -> tuple[int, int]:
    nodes = duckdb_scalar(database, f"select count(*) from {result}")
    components = duckdb_scalar(
        database, f"select count(distinct component_id) from {result}"
    )
    return nodes, components


def mismatches(database: Path, result: str, other: str) -> int:
    """Nodes whose component differs between two results (or that only one
    of them has)."""
    return duckdb_scalar(
        database,
        f"select count(*) from {result} as result "
        f"full outer join {other} as other on result.node = other.node "
        f"where result.component_id is distinct from other.component_id",
    )


def copy_to_postgres(database: Path, graph: Graph, env: Mapping[str, str]) -> None:
    import duckdb
    import psycopg2

    csv_file = database.parent / f"{graph.name}.csv"
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"copy (select node_a, node_b from {graph.table}) "
            f"to '{csv_file}' (header false)"
        )
    with psycopg2.connect(**warehouse.postgres_params(env)) as connection:
        cursor = connection.cursor()
        cursor.execute(f"create schema if not exists {SCHEMA}")
        cursor.execute(f"drop table if exists {graph.table}")
        cursor.execute(f"create table {graph.table} (node_a text, node_b text)")
        with csv_file.open() as rows:
            cursor.copy_expert(f"copy {graph.table} from stdin with csv", rows)
    csv_file.unlink()


def copy_from_postgres(
    database: Path, result: str, copy: str, env: Mapping[str, str]
) -> None:
    """The Postgres result as a DuckDB table, to compare row for row."""
    import duckdb
    import psycopg2

    csv_file = database.parent / "postgres-result.csv"
    with (
        psycopg2.connect(**warehouse.postgres_params(env)) as connection,
        csv_file.open("w") as rows,
    ):
        connection.cursor().copy_expert(
            f"copy (select node, component_id from {result}) to stdout with csv",
            rows,
        )
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            f"create or replace table {copy} as select * from read_csv("
            f"'{csv_file}', header = false, columns = "
            f"{{'node': 'varchar', 'component_id': 'varchar'}})"
        )
    csv_file.unlink()


def ensure_postgres_database(env: Mapping[str, str]) -> None:
    import psycopg2

    name = env["PGDATABASE"]
    connection = psycopg2.connect(**warehouse.postgres_params(env, dbname="postgres"))
    connection.autocommit = True
    try:
        cursor = connection.cursor()
        cursor.execute("select 1 from pg_database where datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'create database "{name}"')
    finally:
        connection.close()


def drop_postgres_schema(env: Mapping[str, str]) -> None:
    import psycopg2

    with psycopg2.connect(**warehouse.postgres_params(env)) as connection:
        connection.cursor().execute(f"drop schema if exists {SCHEMA} cascade")


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"[bench] results disagree on {message}")


def bench_graph(
    graph: Graph,
    database: Path,
    duckdb_env: Mapping[str, str],
    postgres_env: Mapping[str, str] | None,
    target_root: Path,
) -> list[Timing]:
    edges = len(graph.code_a)
    progress(f"{graph.name}: {edges:,} edges, loading into DuckDB")
    load_duckdb(database, graph)

    floor_seconds, labels = scipy_labels(graph)
    nodes, components = present_counts(graph, labels)
    timings = [
        Timing(graph.name, edges, "floor: scipy", floor_seconds, nodes, components)
    ]

    python_result = f"{SCHEMA}.{graph.name}__python"
    progress(f"{graph.name}: Python engine")
    seconds = run_python_engine(database, graph, python_result)
    counts = result_counts(database, python_result)
    check(counts == (nodes, components), f"{graph.name}: python {counts} vs scipy")
    timings.append(Timing(graph.name, edges, "python (DuckDB)", seconds, *counts))
    seconds = copy_seconds(database, python_result)
    timings.append(
        Timing(
            graph.name, edges, "reference: copy the result (DuckDB)", seconds, *counts
        )
    )

    sql_result = f"{SCHEMA}.{graph.name}__sql"
    progress(f"{graph.name}: SQL engine on DuckDB")
    seconds = run_sql_engine(
        duckdb_env, target_root / "target-duckdb", graph.table, sql_result
    )
    counts = result_counts(database, sql_result)
    different = mismatches(database, sql_result, python_result)
    check(different == 0, f"{graph.name}: {different} nodes, SQL vs Python")
    timings.append(Timing(graph.name, edges, "sql (DuckDB)", seconds, *counts))

    if postgres_env is not None:
        progress(f"{graph.name}: SQL engine on Postgres")
        copy_to_postgres(database, graph, postgres_env)
        seconds = run_sql_engine(
            postgres_env, target_root / "target-postgres", graph.table, sql_result
        )
        postgres_copy = f"{SCHEMA}.{graph.name}__postgres"
        copy_from_postgres(database, sql_result, postgres_copy, postgres_env)
        counts = result_counts(database, postgres_copy)
        different = mismatches(database, postgres_copy, python_result)
        check(different == 0, f"{graph.name}: {different} nodes, Postgres vs DuckDB")
        timings.append(Timing(graph.name, edges, "sql (Postgres)", seconds, *counts))
    return timings


def warm_up(database: Path, env: Mapping[str, str], target_path: Path) -> Timing:
    """A ten-edge graph through dbt: pays the first parse, then measures the
    fixed cost (connection, a dozen statements) every later run carries."""
    graph = giant_graph(10, seed=0)
    graph.name = "warm_up"
    load_duckdb(database, graph)
    if env["CDP_TARGET"] == "postgres":
        copy_to_postgres(database, graph, env)
    result = f"{SCHEMA}.warm_up__sql"
    run_sql_engine(env, target_path, graph.table, result)
    seconds = run_sql_engine(env, target_path, graph.table, result)
    return Timing(
        "warm_up",
        10,
        f"dbt run-operation overhead ({env['CDP_TARGET']})",
        seconds,
        0,
        0,
    )


def markdown(timings: list[Timing]) -> str:
    floors = {t.graph: t.seconds for t in timings if t.step.startswith("floor")}
    lines = [
        f"{os.cpu_count()} cores, Python {platform.python_version()}; ratios are "
        "to scipy on the same graph in the same run.",
        "",
        "| graph | edges | nodes | components | step | seconds | x floor |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for timing in timings:
        floor = floors.get(timing.graph)
        ratio = f"{timing.seconds / floor:.1f}" if floor else ""
        lines.append(
            f"| {timing.graph} | {timing.edges:,} | {timing.nodes:,} | "
            f"{timing.components:,} | {timing.step} | {timing.seconds:.2f} | "
            f"{ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, action="append")
    parser.add_argument("--giant-edges", type=int, default=5_000_000)
    parser.add_argument("--postgres-edges", type=int, action="append")
    parser.add_argument("--postgres-database", default="cdp_bench_components")
    parser.add_argument("--out", type=Path, default=Path("bench"))
    args = parser.parse_args()

    out = (args.out / "components").resolve()
    out.mkdir(parents=True, exist_ok=True)
    database = out / "graphs.duckdb"
    database.unlink(missing_ok=True)
    duckdb_env = {"CDP_TARGET": "duckdb", "CDP_DUCKDB_PATH": str(database)}
    postgres_env = {"CDP_TARGET": "postgres", "PGDATABASE": args.postgres_database}
    problem = warehouse.postgres_problem(postgres_env)
    if problem:
        progress(f"no Postgres ({problem}): skipping the Postgres runs")
    else:
        ensure_postgres_database(postgres_env)

    started = time.perf_counter()
    timings = [warm_up(database, duckdb_env, out / "target-duckdb")]
    if not problem:
        timings.append(warm_up(database, postgres_env, out / "target-postgres"))
    postgres_sizes = set(args.postgres_edges or [1_000_000])
    graphs = [
        *(
            identity_like_graph(size, seed=size)
            for size in args.edges or [1_000_000, 5_000_000]
        ),
        giant_graph(args.giant_edges, seed=args.giant_edges),
    ]
    for graph in graphs:
        on_postgres = not problem and graph.size in postgres_sizes
        timings += bench_graph(
            graph, database, duckdb_env, postgres_env if on_postgres else None, out
        )
    if not problem:
        drop_postgres_schema(postgres_env)

    (out / "results.json").write_text(
        json.dumps([asdict(timing) for timing in timings], indent=2)
    )
    print(markdown(timings))
    progress(
        f"{len(graphs)} graphs in {time.perf_counter() - started:.0f} s; "
        f"results in {out / 'results.json'}"
    )


if __name__ == "__main__":
    main()
