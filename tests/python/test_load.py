"""The loader and the command line: the manifest's row counts arrive in
DuckDB and in Postgres, tables are made from the contract, and a bad input
is named in the error."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from cdp import cli, generate, load, warehouse
from cdp.contract import landing_specs

PROFILES = 240


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("load") / "data"
    generate.generate(out, profiles=PROFILES, seed=3, progress=False)
    return out


def _expected(data: Path) -> dict[str, int]:
    """Rows per schema.table, from the manifest."""
    counts = json.loads((data / "manifest.json").read_text())["row_counts"]
    schemas = {spec.name: spec.schema for spec in landing_specs()}
    return {
        f"{schemas[name.split('.')[0]]}.{name.split('.')[1]}": rows
        for name, rows in counts.items()
    }


def _duckdb_counts(path: Path) -> dict[str, int]:
    connection = duckdb.connect(str(path), read_only=True)
    try:
        counts = {}
        for spec in landing_specs():
            for table in spec.tables:
                name = f"{spec.schema}.{table}"
                counts[name] = connection.execute(
                    f"select count(*) from {name}"
                ).fetchone()[0]
        return counts
    finally:
        connection.close()


def test_duckdb_load_gives_the_manifest_counts(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "nested" / "cdp.duckdb"
    counts, where = load.load("duckdb", data, replace=True, duckdb_path=path)
    assert where == str(path)
    assert counts == _expected(data)
    assert _duckdb_counts(path) == _expected(data)
    connection = duckdb.connect(str(path), read_only=True)
    types = {
        row[0]
        for row in connection.execute(
            "select distinct data_type from information_schema.columns "
            "where table_schema like 'raw_%'"
        ).fetchall()
    }
    assert types == {"VARCHAR"}
    # "" in a file is an empty string, an empty field is NULL.
    empty, null = connection.execute(
        "select count(*) filter (where search = ''), "
        "count(*) filter (where user_id is null) from raw_tracking.pages"
    ).fetchone()
    assert empty > 0 and null > 0


def test_without_replace_rows_are_appended(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "cdp.duckdb"
    load.load("duckdb", data, replace=True, duckdb_path=path)
    load.load("duckdb", data, replace=False, duckdb_path=path)
    assert _duckdb_counts(path) == {k: 2 * v for k, v in _expected(data).items()}
    load.load("duckdb", data, replace=True, duckdb_path=path)
    assert _duckdb_counts(path) == _expected(data)


def test_a_missing_table_folder_loads_as_an_empty_table(
    data: Path, tmp_path: Path
) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(data, partial)
    shutil.rmtree(partial / "esp" / "complaints")
    (partial / "manifest.json").unlink()
    path = tmp_path / "cdp.duckdb"
    counts, _ = load.load("duckdb", partial, replace=True, duckdb_path=path)
    assert counts["raw_esp.complaints"] == 0
    assert _duckdb_counts(path)["raw_esp.complaints"] == 0


def test_a_file_with_the_wrong_header_is_named(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(data, broken)
    bad = broken / "crm" / "accounts" / "part-00000.csv"
    lines = bad.read_text().splitlines()
    bad.write_text("\n".join(["account_id,name", *lines[1:]]) + "\n")
    with pytest.raises(load.LoadError, match=r"accounts/part-00000.csv: header"):
        load.load("duckdb", broken, replace=True, duckdb_path=tmp_path / "x.duckdb")


def test_a_missing_data_folder_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(load.LoadError, match="cdp generate --out"):
        load.load("duckdb", tmp_path / "nowhere", duckdb_path=tmp_path / "x.duckdb")


def test_a_truncated_folder_is_caught_by_the_manifest(
    data: Path, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated"
    shutil.copytree(data, truncated)
    pages = truncated / "tracking" / "pages" / "part-00000.csv"
    pages.write_text("\n".join(pages.read_text().splitlines()[:-5]) + "\n")
    with pytest.raises(load.LoadError, match=r"tracking\.pages has"):
        load.load("duckdb", truncated, replace=True, duckdb_path=tmp_path / "x.duckdb")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    problem = warehouse.postgres_problem()
    if problem:
        pytest.skip(f"PostgreSQL not reachable ({problem}): Postgres load not tested")
    name = f"cdp_test_load_{os.getpid()}"
    warehouse.recreate_postgres_database(name)
    try:
        yield name
    finally:
        warehouse.drop_postgres_database(name)


@pytest.mark.postgres
def test_postgres_load_gives_the_manifest_counts(
    data: Path, postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGDATABASE", postgres_database)
    counts, where = load.load("postgres", data, replace=True)
    assert where.endswith(f"/{postgres_database}")
    assert counts == _expected(data)
    import psycopg2

    connection = psycopg2.connect(**warehouse.postgres_params())
    try:
        cursor = connection.cursor()
        for name, rows in _expected(data).items():
            cursor.execute(f"select count(*) from {name}")
            assert cursor.fetchone()[0] == rows, name
        cursor.execute(
            "select count(*) filter (where search = ''), "
            "count(*) filter (where user_id is null) from raw_tracking.pages"
        )
        empty, null = cursor.fetchone()
        assert empty > 0 and null > 0
    finally:
        connection.close()
    # A second load with --replace gives the same counts, not double, and
    # keeps the views built on the raw tables (dbt's staging views).
    connection = psycopg2.connect(**warehouse.postgres_params())
    connection.autocommit = True
    connection.cursor().execute(
        "create view public.pages_view as select id from raw_tracking.pages"
    )
    connection.close()
    assert load.load("postgres", data, replace=True)[0] == _expected(data)
    connection = psycopg2.connect(**warehouse.postgres_params())
    try:
        cursor = connection.cursor()
        cursor.execute("select count(*) from public.pages_view")
        assert cursor.fetchone()[0] == _expected(data)["raw_tracking.pages"]
    finally:
        connection.close()


def test_cli_generates_and_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "data"
    database = tmp_path / "cli.duckdb"
    assert (
        cli.main(
            [
                "generate",
                "--profiles",
                "120",
                "--out",
                str(out),
                "--quiet",
                "--days",
                "30",
            ]
        )
        == 0
    )
    assert "generated" in capsys.readouterr().out
    assert (
        cli.main(
            [
                "load",
                "--target",
                "duckdb",
                "--data",
                str(out),
                "--replace",
                "--duckdb-path",
                str(database),
            ]
        )
        == 0
    )
    assert f"-> {database}" in capsys.readouterr().out
    assert cli.main(["generate", "--out", str(out), "--next-day", "--quiet"]) == 0
    assert json.loads((out / "manifest.json").read_text())["days_generated"] == 31


def test_cli_reports_errors_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        [
            "load",
            "--target",
            "duckdb",
            "--data",
            str(tmp_path / "none"),
            "--duckdb-path",
            str(tmp_path / "x.duckdb"),
        ]
    )
    assert code == 1
    assert "cdp load:" in capsys.readouterr().err


def test_sample_is_regenerated_only_when_it_differs(tmp_path: Path) -> None:
    assert not cli.sample_is_current(tmp_path)
    manifest = {
        "generator_version": generate.GENERATOR_VERSION,
        "seed": cli.SAMPLE_SEED,
        "profiles": cli.SAMPLE_PROFILES,
        "start_date": generate.DEFAULT_START.isoformat(),
        "initial_days": generate.DEFAULT_DAYS,
        "days_generated": generate.DEFAULT_DAYS,
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert cli.sample_is_current(tmp_path)
    # A sample extended with --next-day is no longer the bundled sample.
    (tmp_path / "manifest.json").write_text(
        json.dumps({**manifest, "days_generated": generate.DEFAULT_DAYS + 1})
    )
    assert not cli.sample_is_current(tmp_path)


def test_a_table_of_another_shape_is_recreated_only_with_replace(
    data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cdp.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute("create schema raw_crm")
    connection.execute("create table raw_crm.accounts (account_id text)")
    connection.close()
    with pytest.raises(load.LoadError, match=r"raw_crm\.accounts exists with columns"):
        load.load("duckdb", data, replace=False, duckdb_path=path)
    counts, _ = load.load("duckdb", data, replace=True, duckdb_path=path)
    assert counts == _expected(data)
