"""Access to the warehouse that the dbt profile points at.

The profile (profiles.example.yml) reads its settings from environment
variables; this module reads the same variables with the same defaults, so
that the command line, the tests and the benchmarks always talk to the
warehouse dbt builds in. It also runs dbt in-process and finds where dbt put
each model (from the manifest), so no caller has to know the schema naming.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DUCKDB_PATH = "warehouse/cdp.duckdb"
_runner: Any = None


def setting(env: Mapping[str, str] | None, name: str, default: str) -> str:
    """A profile setting: from `env`, else the process environment."""
    if env and name in env:
        return env[name]
    return os.environ.get(name, default)


def duckdb_path(env: Mapping[str, str] | None = None) -> Path:
    path = Path(setting(env, "CDP_DUCKDB_PATH", DEFAULT_DUCKDB_PATH))
    return path if path.is_absolute() else PROJECT_DIR / path


def postgres_params(
    env: Mapping[str, str] | None = None, dbname: str | None = None
) -> dict[str, Any]:
    return {
        "host": setting(env, "PGHOST", "127.0.0.1"),
        "port": int(setting(env, "PGPORT", "5432")),
        "user": setting(env, "PGUSER", "postgres"),
        "password": setting(env, "PGPASSWORD", ""),
        "dbname": dbname or setting(env, "PGDATABASE", "cdp"),
        "connect_timeout": 5,
    }


@contextlib.contextmanager
def connect(
    target: str, env: Mapping[str, str] | None = None, read_only: bool = True
) -> Iterator[Any]:
    """A DB-API connection to the DuckDB file or the Postgres database."""
    if target == "duckdb":
        import duckdb

        connection = duckdb.connect(str(duckdb_path(env)), read_only=read_only)
    elif target == "postgres":
        import psycopg2

        connection = psycopg2.connect(**postgres_params(env))
        connection.autocommit = True
    else:
        raise ValueError(
            f"unknown target {target!r}: CDP_TARGET must be duckdb or postgres"
        )
    try:
        yield connection
    finally:
        connection.close()


def query(
    target: str,
    env: Mapping[str, str] | None,
    sql: str,
    read_only: bool = True,
) -> list[tuple[Any, ...]]:
    """All rows of one query. Pass read_only=False from a process that also
    runs dbt: DuckDB refuses a second connection to a file this process
    already holds open with other settings."""
    with connect(target, env, read_only=read_only) as connection:
        cursor = connection.cursor()
        cursor.execute(sql)
        return list(cursor.fetchall())


def postgres_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why the Postgres server cannot be used, or None when it can."""
    import psycopg2

    params = postgres_params(env, dbname="postgres")
    try:
        psycopg2.connect(**params).close()
    except psycopg2.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error) else "error"
        return f"{params['host']}:{params['port']}: {first_line}"
    return None


def _admin(env: Mapping[str, str] | None, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(**postgres_params(env, dbname="postgres"))
    connection.autocommit = True
    try:
        connection.cursor().execute(statement)
    finally:
        connection.close()


def recreate_postgres_database(name: str, env: Mapping[str, str] | None = None) -> None:
    """Drops (if present) and creates a database for a throw-away build."""
    _admin(env, f'drop database if exists "{name}" with (force)')
    _admin(env, f'create database "{name}"')


def copy_postgres_database(
    source: str, name: str, env: Mapping[str, str] | None = None
) -> None:
    """A new database `name` holding a copy of `source` (which must have no
    open connections: Postgres copies it file by file)."""
    _admin(env, f'drop database if exists "{name}" with (force)')
    _admin(env, f'create database "{name}" template "{source}"')


def drop_postgres_database(name: str, env: Mapping[str, str] | None = None) -> None:
    _admin(env, f'drop database if exists "{name}" with (force)')


@contextlib.contextmanager
def environment(env: Mapping[str, str]) -> Iterator[None]:
    """Sets environment variables for the duration of a block."""
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


def run_dbt(args: list[str], env: Mapping[str, str], target_path: Path | str) -> bool:
    """Runs a dbt command in this process (one runner is reused, which saves
    dbt's start-up on every later call); True when it succeeded."""
    global _runner
    from dbt.cli.main import dbtRunner

    if _runner is None:
        _runner = dbtRunner()
    with environment(env):
        result = _runner.invoke(
            [
                *args,
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                setting(env, "DBT_PROFILES_DIR", str(PROJECT_DIR / ".dbt")),
                "--target-path",
                str(target_path),
            ]
        )
    return bool(result.success)


def model_relations(target_path: Path | str) -> dict[str, dict[str, str]]:
    """Every enabled model from dbt's manifest: name -> schema, relation,
    layer, tags.

    The layer is the model's first folder under models/ (staging,
    intermediate, marts)."""
    manifest_file = Path(target_path) / "manifest.json"
    if not manifest_file.is_absolute():
        manifest_file = PROJECT_DIR / manifest_file
    manifest = json.loads(manifest_file.read_text())
    relations = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node["config"]["enabled"]:
            continue
        if node["config"]["materialized"] == "ephemeral":
            continue
        relations[node["name"]] = {
            "schema": node["schema"],
            "relation": f"{node['schema']}.{node['alias']}",
            "layer": node["fqn"][1] if len(node["fqn"]) > 2 else "models",
            "tags": node["tags"],
        }
    return relations
