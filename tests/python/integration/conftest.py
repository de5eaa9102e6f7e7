"""Fixtures that build the dbt project on a real warehouse.

Each target gets a throw-away warehouse (a DuckDB file in a temporary
folder, or a Postgres database created for the run and dropped after), the
bundled sample loaded into it, and one full `dbt build`, once per test
session. A test that changes the warehouse (loads a new day, rebuilds)
works on a copy (`BuiltWarehouse.copy`), so the others still see the
sample as built. dbt runs in this process through one reused dbtRunner, so
its start-up cost is paid once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from cdp import load, warehouse

CDP = str(Path(sys.executable).with_name("cdp"))
SAMPLE_PROFILES = 3000
SAMPLE_SEED = 42
TEST_PG_DATABASE = "cdp_pytest"
CROSS_CHECK = "{cdp_components_cross_check: true}"


@dataclass
class BuiltWarehouse:
    """A warehouse with the sample loaded and the project built on it."""

    target: str
    data_dir: Path
    env: dict[str, str]
    target_path: Path

    def dbt(self, *args: str) -> bool:
        """Runs one dbt command against this warehouse; True on success."""
        return warehouse.run_dbt(list(args), self.env, self.target_path)

    def load(self, data_dir: Path, replace: bool = False, files: str = "*.csv"):
        """Loads raw files in this process: a second process could not open
        the DuckDB file that dbt, running in this one, keeps open."""
        with warehouse.environment(self.env):
            load.load(self.target, data_dir, replace=replace, files=files)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return warehouse.query(self.target, self.env, sql, read_only=False)

    def relation(self, model: str) -> str:
        """Where dbt built a model, as schema.table."""
        return warehouse.model_relations(self.target_path)[model]["relation"]

    def copy(self, folder: Path) -> BuiltWarehouse:
        """A copy of this warehouse to change freely: a copied DuckDB file in
        `folder`, or a Postgres database made from this one as a template.
        Drop a Postgres copy with `discard`."""
        if self.target == "duckdb":
            self.query("checkpoint")
            copied = folder / "copy.duckdb"
            shutil.copyfile(warehouse.duckdb_path(self.env), copied)
            return replace(self, env={**self.env, "CDP_DUCKDB_PATH": str(copied)})
        name = f"{self.env['PGDATABASE']}_copy"
        warehouse.copy_postgres_database(self.env["PGDATABASE"], name)
        return replace(self, env={**self.env, "PGDATABASE": name})

    def discard(self) -> None:
        """Drops a Postgres copy; a DuckDB copy goes with its folder."""
        if self.target == "postgres":
            warehouse.drop_postgres_database(self.env["PGDATABASE"])


def _generate(out: Path, *extra: str) -> None:
    subprocess.run(
        [
            CDP,
            "generate",
            "--profiles",
            str(SAMPLE_PROFILES),
            "--seed",
            str(SAMPLE_SEED),
            "--out",
            str(out),
            *extra,
        ],
        check=True,
        cwd=warehouse.PROJECT_DIR,
    )


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, generated once per session."""
    out = tmp_path_factory.mktemp("sample")
    _generate(out)
    return out


def _skip_or_fail_without_postgres() -> None:
    problem = warehouse.postgres_problem()
    if problem:
        message = f"PostgreSQL not reachable ({problem}): Postgres half skipped"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}, which CI does not allow")
        pytest.skip(message)


def _assert_engines_compared(built: BuiltWarehouse) -> None:
    """The build just run compared the two clustering engines on the
    identity graph, and the SQL engine had nodes to cluster."""
    results = json.loads((built.target_path / "run_results.json").read_text())
    compared = [
        result["status"]
        for result in results["results"]
        if result["unique_id"].startswith(
            "test.warehouse_cdp.same_components_as_int_identity__components_python"
        )
    ]
    assert compared == ["pass"], f"engines not compared on the sample: {compared}"
    relation = built.relation("int_identity__components_sql")
    (nodes,) = built.query(f"select count(*) from {relation}")[0]
    assert nodes > 0, "the SQL engine clustered nothing"


@pytest.fixture(scope="session", params=["duckdb", "postgres"])
def built(
    request: pytest.FixtureRequest,
    sample_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BuiltWarehouse]:
    """The sample loaded and fully built, once per test session and target.
    Tests must not change it: see `BuiltWarehouse.copy`."""
    target = request.param
    tmp = tmp_path_factory.mktemp(f"warehouse-{target}")
    env = {
        "CDP_TARGET": target,
        "DBT_PROFILES_DIR": str(warehouse.PROJECT_DIR / ".dbt"),
    }
    if target == "postgres":
        _skip_or_fail_without_postgres()
        env["PGDATABASE"] = TEST_PG_DATABASE
        warehouse.recreate_postgres_database(TEST_PG_DATABASE)
    else:
        env["CDP_DUCKDB_PATH"] = str(tmp / "test.duckdb")
    built_warehouse = BuiltWarehouse(
        target=target,
        data_dir=sample_dir,
        env=env,
        target_path=warehouse.PROJECT_DIR / f"target-pytest-{target}",
    )
    built_warehouse.load(sample_dir, replace=True)
    # The first build also runs the SQL clustering engine beside the
    # Python one on DuckDB and compares them on the sample's real graph.
    assert built_warehouse.dbt("build", "--vars", CROSS_CHECK), (
        f"dbt build failed on {target}"
    )
    if target == "duckdb":
        _assert_engines_compared(built_warehouse)
    yield built_warehouse
    if target == "postgres":
        warehouse.drop_postgres_database(TEST_PG_DATABASE)


@pytest.fixture
def built_copy(built: BuiltWarehouse, tmp_path: Path) -> Iterator[BuiltWarehouse]:
    """A copy of the built sample warehouse that a test may change."""
    copy = built.copy(tmp_path)
    yield copy
    copy.discard()
