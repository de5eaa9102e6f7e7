"""Benchmarks of the CDP on generated data (`make bench`).

Every step runs as its own process, so that its wall time and peak memory
are its own. Figures are reported next to a floor measured in the same run
on the same data: DuckDB copying the raw tables into new tables, the least
any staging layer must do (read every raw row and write it again). Ratios
against the floor stay comparable across shared, noisy machines where
seconds do not.

    python -m cdp.bench [--profiles 1000000] [--out bench]

Results: <out>/results-<profiles>.json and a Markdown table on stdout, to
be copied into docs/benchmarks.md with the command that produced it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from cdp import warehouse
from cdp.contract import raw_relations

BIN = Path(sys.executable).parent


@dataclass
class Step:
    name: str
    seconds: float
    peak_memory_mb: float
    rows: int | None = None

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.rows and self.seconds else None


def run_step(name: str, command: list[str], env: dict[str, str]) -> Step:
    """Runs one command; its own wall time and peak resident memory."""
    print(f"[bench] {name}: {shlex.join(command)}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **env})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"[bench] step {name!r} failed: {shlex.join(command)}")
    # ru_maxrss is in kilobytes on Linux.
    return Step(name, round(seconds, 2), round(usage.ru_maxrss / 1024, 1))


def raw_row_count(env: dict[str, str]) -> int:
    with warehouse.connect("duckdb", env) as connection:
        return sum(
            connection.execute(f"select count(*) from {relation}").fetchone()[0]
            for relation in raw_relations()
        )


FLOOR_SCRIPT = """
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


def benchmark(profiles: int, out: Path) -> list[Step]:
    data = out / f"data-{profiles}"
    database = out / f"bench-{profiles}.duckdb"
    env = {
        "CDP_TARGET": "duckdb",
        "CDP_DUCKDB_PATH": str(database.resolve()),
        "DBT_PROFILES_DIR": str(warehouse.PROJECT_DIR / ".dbt"),
    }
    dbt = [str(BIN / "dbt")]
    dbt_options = [
        "--project-dir",
        str(warehouse.PROJECT_DIR),
        "--target-path",
        str((out / f"target-{profiles}").resolve()),
    ]
    steps = [
        run_step(
            "generate",
            [
                str(BIN / "cdp"),
                "generate",
                "--profiles",
                str(profiles),
                "--out",
                str(data),
            ],
            env,
        ),
        run_step(
            "load (DuckDB)",
            [
                str(BIN / "cdp"),
                "load",
                "--target",
                "duckdb",
                "--data",
                str(data),
                "--replace",
            ],
            env,
        ),
    ]
    rows = raw_row_count(env)
    floor = run_step(
        "floor: copy raw tables",
        [sys.executable, "-c", FLOOR_SCRIPT, str(database.resolve())],
        env,
    )
    staging = run_step(
        "staging (dbt run)", [*dbt, "run", "--select", "staging", *dbt_options], env
    )
    tests = run_step(
        "staging tests + reconciliation (dbt build)",
        [*dbt, "build", "--select", "staging", "data_quality", *dbt_options],
        env,
    )
    for step in [*steps, floor, staging]:
        step.rows = rows
    return [*steps, floor, staging, tests]


def markdown(profiles: int, steps: list[Step]) -> str:
    floor = next(step for step in steps if step.name.startswith("floor"))
    lines = [
        f"Profiles: {profiles:,}; raw rows: {floor.rows:,}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| step | wall s | rows/s | peak MB | x floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for step in steps:
        rate = f"{step.rows_per_second:,.0f}" if step.rows_per_second else ""
        ratio = step.seconds / floor.seconds if floor.seconds else 0
        lines.append(
            f"| {step.name} | {step.seconds:.1f} | {rate} | "
            f"{step.peak_memory_mb:,.0f} | {ratio:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, action="append")
    parser.add_argument("--out", type=Path, default=Path("bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for profiles in args.profiles or [1_000_000]:
        steps = benchmark(profiles, args.out)
        result = {"profiles": profiles, "steps": [asdict(step) for step in steps]}
        (args.out / f"results-{profiles}.json").write_text(json.dumps(result, indent=2))
        print(markdown(profiles, steps))


if __name__ == "__main__":
    main()
