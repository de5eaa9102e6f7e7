"""Bulk loader of generated (or any contract-shaped) CSV files into the raw
schemas of DuckDB or PostgreSQL.

    cdp load --target duckdb --data data/sample [--replace] [--duckdb-path P]
    cdp load --target postgres --data data/sample [--replace]

Tables are created from the contract (cdp.contract), every column text, in
the source's default raw schema; the identity ground truth goes to
raw_truth. `--replace` empties them first (truncate, so that views on them
survive; a table whose columns differ from the contract is recreated);
without it rows are appended. Each table reads
`<data>/<source>/<table>/*.csv` (a header line, then rows; an unquoted
empty field is NULL, `""` an empty string); a missing folder gives an
empty table. DuckDB reads the files with
read_csv; Postgres receives them through COPY ... FROM STDIN. Nothing is
inserted row by row, and each load is one transaction: a failed load
leaves the warehouse as it was.

Postgres settings come from PGHOST, PGPORT, PGUSER, PGPASSWORD and
PGDATABASE (defaults 127.0.0.1, 5432, postgres, empty, cdp); the DuckDB
file from --duckdb-path, else CDP_DUCKDB_PATH, else warehouse/cdp.duckdb.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cdp import warehouse
from cdp.contract import SourceSpec, landing_specs


class LoadError(RuntimeError):
    """Loading cannot go on; the message names the input at fault."""


@dataclass(frozen=True)
class TableFiles:
    """The CSV files of one raw table and the columns they must carry."""

    schema: str
    table: str
    columns: list[str]
    files: list[Path]

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"


# The part files of every batch; `--files 'day-0366-*'` picks one added day.
ALL_FILES = "*.csv"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        line = handle.readline().rstrip("\r\n")
    return [name.strip('"') for name in line.split(",")] if line else []


def collect(
    data_dir: Path, specs: list[SourceSpec], files: str = ALL_FILES
) -> list[TableFiles]:
    """Every table of `specs` with its files matching `files`, headers
    checked."""
    if not data_dir.is_dir():
        raise LoadError(
            f"data folder {data_dir} does not exist; generate it with "
            f"`cdp generate --out {data_dir}` or pass --data"
        )
    tables = []
    for spec in specs:
        for table, columns in spec.tables.items():
            paths = sorted((data_dir / spec.name / table).glob(files))
            for path in paths:
                header = _header(path)
                if header != columns:
                    raise LoadError(
                        f"{path}: header {header} does not match the contract's "
                        f"columns for {spec.name}.{table} {columns}; regenerate "
                        "the data or fix the file's header"
                    )
            tables.append(TableFiles(spec.schema, table, columns, paths))
    return tables


class _Catalog(Protocol):
    """The two calls table preparation needs from a warehouse cursor."""

    def run(self, sql: str) -> None: ...

    def columns(self, schema: str, table: str) -> list[str]: ...


def _prepare_table(catalog: _Catalog, table: TableFiles, replace: bool) -> None:
    """Creates the table, or empties it for --replace.

    A table of the right shape is truncated rather than dropped, so that
    views built on it (dbt's staging views on Postgres) survive a reload.
    """
    name = f"{_quote(table.schema)}.{_quote(table.table)}"
    existing = catalog.columns(table.schema, table.table)
    if existing and existing != table.columns:
        if not replace:
            raise LoadError(
                f"table {table.name} exists with columns {existing}, the contract "
                f"says {table.columns}; load with --replace to recreate it"
            )
        try:
            catalog.run(f"drop table {name}")
        except Exception as error:
            raise LoadError(
                f"cannot drop {table.name} to recreate it with the contract's "
                f"columns ({str(error).strip().splitlines()[0]}); drop the views "
                "that use it (dbt rebuilds them) and load again"
            ) from None
        existing = []
    if not existing:
        columns = ", ".join(f"{_quote(column)} text" for column in table.columns)
        catalog.run(f"create schema if not exists {_quote(table.schema)}")
        catalog.run(f"create table {name} ({columns})")
    elif replace:
        catalog.run(f"truncate {name}")


_COLUMNS_SQL = (
    "select column_name from information_schema.columns "
    "where table_schema = {schema} and table_name = {table} "
    "order by ordinal_position"
)


class _DuckDBCatalog:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def run(self, sql: str) -> None:
        self.connection.execute(sql)

    def columns(self, schema: str, table: str) -> list[str]:
        sql = _COLUMNS_SQL.format(schema="?", table="?")
        rows = self.connection.execute(sql, [schema, table]).fetchall()
        return [row[0] for row in rows]


class _PostgresCatalog:
    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def run(self, sql: str) -> None:
        self.cursor.execute(sql)

    def columns(self, schema: str, table: str) -> list[str]:
        self.cursor.execute(
            _COLUMNS_SQL.format(schema="%s", table="%s"), (schema, table)
        )
        return [row[0] for row in self.cursor.fetchall()]


def load_duckdb(tables: list[TableFiles], path: Path, replace: bool) -> dict[str, int]:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = duckdb.connect(str(path))
    except duckdb.Error as error:
        raise LoadError(
            f"cannot open DuckDB file {path} ({error}); close other programs "
            "using it (dbt, a notebook) or pass another --duckdb-path"
        ) from None
    counts: dict[str, int] = {}
    try:
        # Rows of a raw table have no meaningful order; letting DuckDB
        # insert in parallel is much faster.
        connection.execute("set preserve_insertion_order = false")
        connection.execute("begin transaction")
        catalog = _DuckDBCatalog(connection)
        for table in tables:
            _prepare_table(catalog, table, replace)
            if not table.files:
                counts[table.name] = 0
                continue
            file_list = (
                "["
                + ", ".join(
                    "'" + str(file).replace("'", "''") + "'" for file in table.files
                )
                + "]"
            )
            column_types = (
                "{"
                + ", ".join(f"'{column}': 'VARCHAR'" for column in table.columns)
                + "}"
            )
            try:
                inserted = connection.execute(
                    f"insert into {_quote(table.schema)}.{_quote(table.table)} "
                    f"select * from read_csv({file_list}, header = true, "
                    f"columns = {column_types}, auto_detect = false, delim = ',', "
                    f"quote = '\"', escape = '\"', allow_quoted_nulls = false)"
                ).fetchone()[0]
            except duckdb.Error as error:
                raise LoadError(
                    f"loading {table.name} from {table.files[0].parent} failed: "
                    f"{error}; check the file named above, or regenerate the data"
                ) from None
            counts[table.name] = inserted
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise
    finally:
        connection.close()
    return counts


def load_postgres(tables: list[TableFiles], replace: bool) -> dict[str, int]:
    import psycopg2

    params = warehouse.postgres_params()
    try:
        connection = psycopg2.connect(**params)
    except psycopg2.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error) else "error"
        raise LoadError(
            f"cannot connect to Postgres at {params['host']}:{params['port']} "
            f"database {params['dbname']!r} as {params['user']!r}: {first_line}. "
            "Start the server, set PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, or "
            f"create the database (createdb -h {params['host']} -U {params['user']} "
            f"{params['dbname']})"
        ) from None
    counts: dict[str, int] = {}
    try:
        cursor = connection.cursor()
        catalog = _PostgresCatalog(cursor)
        for table in tables:
            _prepare_table(catalog, table, replace)
            columns = ", ".join(_quote(column) for column in table.columns)
            copy = (
                f"copy {_quote(table.schema)}.{_quote(table.table)} ({columns}) "
                "from stdin with (format csv, header true)"
            )
            total = 0
            for path in table.files:
                try:
                    with path.open("rb") as handle:
                        cursor.copy_expert(copy, handle)
                except psycopg2.Error as error:
                    message = str(error).strip().splitlines()[0]
                    raise LoadError(
                        f"{path}: Postgres rejected the file ({message}); check "
                        "the file, or regenerate the data"
                    ) from None
                total += cursor.rowcount
            counts[table.name] = total
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()
    return counts


def check_manifest(
    data_dir: Path, counts: dict[str, int], tables: list[TableFiles]
) -> None:
    """After a full load, every table holds what the manifest says was written."""
    manifest_path = data_dir / "manifest.json"
    if not manifest_path.exists():
        return
    expected = json.loads(manifest_path.read_text()).get("row_counts", {})
    schema_of = {
        f"{spec.name}.{table}": spec.schema
        for spec in landing_specs()
        for table in spec.tables
    }
    for name, rows in expected.items():
        loaded = counts.get(f"{schema_of.get(name, '?')}.{name.split('.', 1)[1]}")
        if loaded is not None and loaded != rows:
            raise LoadError(
                f"{data_dir}: {name} has {rows:,} rows in manifest.json but "
                f"{loaded:,} were loaded; the folder is incomplete or was edited, "
                "regenerate it"
            )


def load(
    target: str,
    data_dir: Path,
    replace: bool = False,
    duckdb_path: Path | None = None,
    files: str = ALL_FILES,
) -> tuple[dict[str, int], str]:
    """Loads every table; returns rows per table and where they went."""
    tables = collect(Path(data_dir), landing_specs(), files)
    if target == "duckdb":
        path = Path(duckdb_path) if duckdb_path else warehouse.duckdb_path()
        counts = load_duckdb(tables, path, replace)
        where = str(path)
    elif target == "postgres":
        counts = load_postgres(tables, replace)
        params = warehouse.postgres_params()
        where = f"postgres://{params['user']}@{params['host']}:{params['port']}/{params['dbname']}"
    else:
        raise LoadError(f"unknown --target {target!r}: use duckdb or postgres")
    if replace and files == ALL_FILES:
        check_manifest(Path(data_dir), counts, tables)
    return counts, where


def timed_load(
    target: str,
    data_dir: Path,
    replace: bool = False,
    duckdb_path: Path | None = None,
    files: str = ALL_FILES,
) -> str:
    """Loads and returns the one-line summary."""
    started = time.perf_counter()
    counts, where = load(target, data_dir, replace, duckdb_path, files)
    seconds = time.perf_counter() - started
    verb = "replaced" if replace else "appended"
    return (
        f"loaded {sum(counts.values()):,} rows into {len(counts)} tables "
        f"({verb}) from {data_dir} -> {where} in {seconds:.1f} s"
    )
