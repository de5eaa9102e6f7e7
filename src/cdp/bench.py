"""Benchmarks of the CDP on generated data (`make bench`).

Every step runs as its own process, so that its wall time and peak memory
are its own. Figures are reported next to a floor measured in the same run
on the same data, because seconds drift on shared, noisy machines and
ratios do not:

- raw floor: DuckDB copying the raw tables into new tables, the least any
  staging layer must do (read every raw row and write it again);
- graph floor: `scipy.sparse.csgraph.connected_components` on the identity
  layer's own edge list (strings coded to integers first, not timed), the
  least any identity resolution must do; the same script timed end to end
  (read the edges, code them, label, write the labels back) is the floor
  with input and output.

A run goes: generate, load, raw floor, then each layer with `dbt run`
(staging; identity, from identifiers to persistent profile ids; the marts
of profiles, traits, accounts, activity, consent and governance with their
intermediate models), the graph floor, optionally the same staging and
identity on Postgres, and last one new day of data (`cdp generate
--next-day`) loaded and built incrementally, layer by layer. The seconds
dbt spent per model folder come from its run_results.json.

    python -m cdp.bench [--profiles 1000000 ...] [--postgres] [--out bench]

Results: <out>/results-<profiles>.json and a Markdown table on stdout, to
be copied into docs/benchmarks.md with the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cdp import warehouse
from cdp.contract import raw_relations

BIN = Path(sys.executable).parent
RAW_FLOOR = "raw floor: copy raw tables"
GRAPH_FLOOR = "graph floor: scipy connected_components"
POSTGRES_DATABASE = "cdp_bench"
NEW_DAY_FILES = "day-*.csv"

# The layers: dbt selectors and exclusions (test graphs, tag fixture, never
# run here). Identity is everything the identity marts are built from after
# staging (the erasure registry included: the identifier mart leaves erased
# people out); the last layer is every other intermediate model and mart
# (profiles, traits, accounts, activity, consent, governance), which read
# each other across folders. Seconds per folder come from run_results.json.
IDENTITY_UPSTREAM = "+path:models/marts/identity"
LAYERS: dict[str, tuple[list[str], list[str]]] = {
    "staging": (["path:models/staging"], []),
    "identity": ([IDENTITY_UPSTREAM], ["path:models/staging"]),
    "marts and their intermediates": (
        ["path:models/intermediate", "path:models/marts"],
        [IDENTITY_UPSTREAM],
    ),
}
# Selects nothing: dbt's fixed cost (start-up, parsing, connecting).
NOTHING = (["tag:bench_selects_nothing"], [])


@dataclass
class Step:
    name: str
    seconds: float
    peak_memory_mb: float
    rows: int | None = None
    baseline: str = RAW_FLOOR
    folders: dict[str, float] | None = None

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.rows and self.seconds else None


def run_step(
    name: str, command: list[str], env: dict[str, str], baseline: str = RAW_FLOOR
) -> Step:
    """Runs one command; its own wall time and peak resident memory."""
    print(f"[bench] {name}: {shlex.join(command)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **env})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"[bench] step {name!r} failed: {shlex.join(command)}")
    # ru_maxrss is in kilobytes on Linux.
    return Step(
        name, round(seconds, 2), round(usage.ru_maxrss / 1024, 1), baseline=baseline
    )


def folder_seconds(target_path: Path) -> dict[str, float]:
    """Seconds dbt spent per model folder (models/<layer>/<folder>) in its
    last command, from run_results.json; with two threads they add up to
    more than the wall time."""
    manifest = json.loads((target_path / "manifest.json").read_text())
    results = json.loads((target_path / "run_results.json").read_text())
    folders: dict[str, float] = {}
    for result in results["results"]:
        node = manifest["nodes"].get(result["unique_id"])
        if not node or node["resource_type"] != "model":
            continue
        folder = "/".join(Path(node["original_file_path"]).parts[:3])
        folders[folder] = folders.get(folder, 0.0) + result["execution_time"]
    return folders


def raw_row_count(env: dict[str, str]) -> int:
    with warehouse.connect("duckdb", env) as connection:
        return sum(
            connection.execute(f"select count(*) from {relation}").fetchone()[0]
            for relation in raw_relations()
        )


RAW_FLOOR_SCRIPT = """
import sys, duckdb
from cdp.contract import raw_relations
connection = duckdb.connect(sys.argv[1])
connection.execute("create schema if not exists bench_floor")
for relation in raw_relations():
    copy = relation.replace(".", "__")
    connection.execute(
        f"create or replace table bench_floor.{copy} as select * from {relation}"
    )
connection.execute("drop schema bench_floor cascade")
"""

# Reads the identity layer's edge list, codes node strings to integers,
# labels components with scipy (timed alone: the graph floor), writes the
# labels back. Prints the graph's size and scipy's seconds as JSON.
GRAPH_FLOOR_SCRIPT = """
import json, sys, time
import duckdb, numpy as np, pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
connection = duckdb.connect(sys.argv[1])
edges = connection.sql(f"select node_a, node_b from {sys.argv[2]}").df()
codes, nodes = pd.factorize(pd.concat([edges.node_a, edges.node_b]))
a, b = codes[: len(edges)], codes[len(edges):]
linked = b >= 0
a, b = a[linked], b[linked]
matrix = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)),
                    shape=(len(nodes), len(nodes)))
started = time.perf_counter()
count, labels = connected_components(matrix, directed=False)
seconds = time.perf_counter() - started
labelled = pd.DataFrame({"node": nodes, "component": labels})
connection.execute("create schema if not exists bench_floor")
connection.execute(
    "create or replace table bench_floor.labels as select * from labelled"
)
connection.execute("drop schema bench_floor cascade")
print(json.dumps({"edges": int(linked.sum()), "nodes": len(nodes),
                  "components": int(count), "seconds": seconds}))
"""


def relation_of(model: str, target_path: Path) -> str:
    relations = warehouse.model_relations(target_path)
    return relations[model]["relation"]


def graph_floor(database: Path, edges_relation: str, env: dict[str, str]) -> list[Step]:
    """The scipy floor, and the same script timed end to end."""
    command = [sys.executable, "-c", GRAPH_FLOOR_SCRIPT, str(database), edges_relation]
    print(f"[bench] graph floor: {shlex.join(command)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    output = subprocess.run(
        command, env={**os.environ, **env}, check=True, capture_output=True, text=True
    ).stdout
    total = time.perf_counter() - started
    graph = json.loads(output.strip().splitlines()[-1])
    print(f"[bench] graph: {graph}", file=sys.stderr, flush=True)
    return [
        Step(GRAPH_FLOOR, round(graph["seconds"], 3), 0, graph["edges"], GRAPH_FLOOR),
        Step(
            "graph floor with I/O: read, code, label, write",
            round(total, 2),
            0,
            graph["edges"],
            GRAPH_FLOOR,
        ),
    ]


def benchmark(profiles: int, out: Path, postgres: bool) -> list[Step]:
    data = out / f"data-{profiles}"
    database = (out / f"bench-{profiles}.duckdb").resolve()
    target_path = (out / f"target-{profiles}").resolve()
    # A benchmark starts from nothing: the id registry outlives full refreshes.
    shutil.rmtree(data, ignore_errors=True)
    database.unlink(missing_ok=True)
    env = {
        "CDP_TARGET": "duckdb",
        "CDP_DUCKDB_PATH": str(database),
        "DBT_PROFILES_DIR": str(warehouse.PROJECT_DIR / ".dbt"),
    }
    cdp = str(BIN / "cdp")

    def dbt(
        command: str,
        layer: tuple[list[str], list[str]],
        target_env: dict[str, str] = env,
    ) -> list[str]:
        target = target_env["CDP_TARGET"]
        selected, excluded = layer
        return [
            str(BIN / "dbt"),
            command,
            "--select",
            *selected,
            "--exclude",
            "tag:fixture",
            *excluded,
            "--project-dir",
            str(warehouse.PROJECT_DIR),
            "--target-path",
            str(target_path) + ("" if target == "duckdb" else f"-{target}"),
        ]

    steps = [
        run_step(
            "generate",
            [cdp, "generate", "--profiles", str(profiles), "--out", str(data)],
            env,
        ),
        run_step(
            "load (DuckDB)",
            [cdp, "load", "--target", "duckdb", "--data", str(data), "--replace"],
            env,
        ),
    ]
    rows = raw_row_count(env)
    steps.append(
        run_step(
            RAW_FLOOR, [sys.executable, "-c", RAW_FLOOR_SCRIPT, str(database)], env
        )
    )
    for step in steps:
        step.rows = rows
    run_step("seeds", dbt("seed", (["path:seeds"], [])), env)
    steps.append(run_step("dbt fixed cost (selects nothing)", dbt("run", NOTHING), env))
    for layer, selector in LAYERS.items():
        step = run_step(f"{layer} (dbt run)", dbt("run", selector), env)
        step.folders = folder_seconds(target_path)
        steps.append(step)
    steps.append(
        run_step(
            "staging tests + reconciliation (dbt build)",
            dbt(
                "build", (["path:models/staging", "path:models/marts/data_quality"], [])
            ),
            env,
        )
    )
    edges = relation_of("int_identity__graph_edges", target_path)
    floors = graph_floor(database, edges, env)
    steps.extend(floors)
    identity = next(step for step in steps if step.name == "identity (dbt run)")
    identity.baseline = GRAPH_FLOOR
    identity.rows = floors[0].rows

    if postgres:
        steps.extend(postgres_steps(data, env, dbt, floors[0].rows))

    steps.append(
        run_step(
            "new day: generate",
            [cdp, "generate", "--next-day", "--quiet", "--out", str(data)],
            env,
        )
    )
    steps.append(
        run_step(
            "new day: load",
            [
                cdp,
                "load",
                "--target",
                "duckdb",
                "--data",
                str(data),
                "--files",
                NEW_DAY_FILES,
            ],
            env,
        )
    )
    for layer, selector in LAYERS.items():
        step = run_step(
            f"new day: {layer} (incremental dbt run)", dbt("run", selector), env
        )
        step.folders = folder_seconds(target_path)
        if layer == "identity":
            step.baseline = GRAPH_FLOOR
        steps.append(step)
    return steps


def postgres_steps(data: Path, env: dict[str, str], dbt, edge_count: int) -> list[Step]:
    """Staging and identity on Postgres, from the same raw files."""
    problem = warehouse.postgres_problem()
    if problem:
        print(f"[bench] Postgres skipped: {problem}", file=sys.stderr, flush=True)
        return []
    pg_env = {**env, "CDP_TARGET": "postgres", "PGDATABASE": POSTGRES_DATABASE}
    warehouse.recreate_postgres_database(POSTGRES_DATABASE)
    cdp = str(BIN / "cdp")
    steps = [
        run_step(
            "Postgres: load",
            [cdp, "load", "--target", "postgres", "--data", str(data), "--replace"],
            pg_env,
        ),
    ]
    run_step(
        "Postgres: seeds", dbt("seed", (["path:seeds"], []), target_env=pg_env), pg_env
    )
    steps.append(
        run_step(
            "Postgres: staging (dbt run)",
            dbt("run", LAYERS["staging"], target_env=pg_env),
            pg_env,
        )
    )
    identity = run_step(
        "Postgres: identity (dbt run)",
        dbt("run", LAYERS["identity"], target_env=pg_env),
        pg_env,
        baseline=GRAPH_FLOOR,
    )
    identity.rows = edge_count
    steps.append(identity)
    return steps


def markdown(profiles: int, steps: list[Step]) -> str:
    floors = {step.name: step for step in steps if step.baseline == step.name}
    raw = floors[RAW_FLOOR]
    lines = [
        f"Profiles: {profiles:,}; raw rows: {raw.rows:,}; identity edges: "
        f"{floors[GRAPH_FLOOR].rows:,}; {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
        "",
        "| step | wall s | rows/s | peak MB | x its floor | floor |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for step in steps:
        rate = f"{step.rows_per_second:,.0f}" if step.rows_per_second else ""
        floor = floors[step.baseline]
        ratio = step.seconds / floor.seconds if floor.seconds else 0
        memory = f"{step.peak_memory_mb:,.0f}" if step.peak_memory_mb else ""
        lines.append(
            f"| {step.name} | {step.seconds:.1f} | {rate} | {memory} | "
            f"{ratio:.1f} | {'graph' if step.baseline == GRAPH_FLOOR else 'raw'} |"
        )
    with_io = next(step for step in steps if step.name.startswith("graph floor with"))
    fixed = next(step for step in steps if step.name.startswith("dbt fixed cost"))
    lines.append("")
    for step in (step for step in steps if "identity" in step.name):
        line = (
            f"- {step.name}: {step.seconds / with_io.seconds:.1f}x the graph floor "
            "with I/O"
        )
        if "Postgres" not in step.name:
            line += (
                f"; {step.seconds - fixed.seconds:.1f} s after dbt's fixed cost, "
                f"{(step.seconds - fixed.seconds) / with_io.seconds:.1f}x"
            )
        lines.append(line)
    return "\n".join(lines + build_summary(steps))


def build_summary(steps: list[Step]) -> list[str]:
    """The whole build against one incremental day, and per model folder."""
    full = [s for s in steps if s.folders is not None and "new day" not in s.name]
    day = [s for s in steps if s.folders is not None and "new day" in s.name]
    full_seconds = sum(step.seconds for step in full)
    day_seconds = sum(step.seconds for step in day)
    lines = [
        "",
        f"Build, staging to marts (`dbt run` per layer): {full_seconds:.1f} s; "
        f"after one new day, incremental: {day_seconds:.1f} s "
        f"({day_seconds / full_seconds:.0%} of the full build).",
        "",
        "| model folder | full build s | new day s | new day / full |",
        "|---|---:|---:|---:|",
    ]
    full_folders: dict[str, float] = {}
    day_folders: dict[str, float] = {}
    for group, folders in ((full, full_folders), (day, day_folders)):
        for step in group:
            for folder, seconds in (step.folders or {}).items():
                folders[folder] = folders.get(folder, 0.0) + seconds
    for folder in sorted(full_folders):
        before, after = full_folders[folder], day_folders.get(folder, 0.0)
        share = f"{after / before:.0%}" if before else ""
        lines.append(f"| {folder} | {before:.1f} | {after:.1f} | {share} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, action="append")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"also load and build staging and identity in Postgres database "
        f"{POSTGRES_DATABASE} (recreated)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for profiles in args.profiles or [1_000_000]:
        steps = benchmark(profiles, args.out, args.postgres)
        result = {"profiles": profiles, "steps": [asdict(step) for step in steps]}
        (args.out / f"results-{profiles}.json").write_text(json.dumps(result, indent=2))
        print(markdown(profiles, steps))


if __name__ == "__main__":
    main()
