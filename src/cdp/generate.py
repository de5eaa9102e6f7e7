"""Deterministic generator of messy raw data for every table of the contract.

    cdp generate [--profiles 1000000] [--seed 42] [--out data/generated]
    cdp generate --out data/generated --next-day

A population of people is modelled over a window (default 365 days from
2025-12-01): residents of the EEA (DE, FR, NL, ES, IT, IE, SE, BE, AT, PL,
DK), the UK, the US (with states, CA the largest) and Canada. About 15 % are
B2B people working for CRM accounts (contacts, leads, opportunities with
stage history, activities, cases); about 40 % shop online (registered
customers and guest checkouts, orders, lines, refunds); about a third are
newsletter subscribers (sends, opens, clicks, bounces, unsubscribes,
complaints); two thirds browse the site on one to four devices (pages,
tracks, identifies; user_id is the shop customer id once logged in); about
12 % are loyalty members with store transactions. Consent events (Consent
Mode v2 fields, a real TCF v2.2 TC string for EEA visitors, GPC for some US
visitors), preference-centre changes, privacy requests and daily ad-platform
reports complete the set. The sources' shapes come from the contract
(cdp.contract); every generated table is checked against it.

Everything is drawn from hashes of the seed and of what a value describes
(see cdp.synth.sqlkit), inside DuckDB, chunk by chunk of people: the same
seed and arguments give byte-identical files with the same DuckDB version,
and memory stays bounded at any size.

Output: `<out>/<source>/<table>/part-NNNNN.csv` (one file per chunk of
people, header included, empty values are NULL, `""` is an empty string),
`<out>/truth/person_identifiers/` (which person every identifier belongs
to; identity resolution is measured against it) and `<out>/manifest.json`
(seed, profiles, start date, days generated, row counts per table).
`--next-day` adds `day-DDDD-NNNNN.csv` files for the day after the last one
generated: events of that day, events of earlier days that land late,
repeated landings of earlier rows, record updates and new people.

The mess, in the shares the staging layer is tested against (share of the
values or rows each kind applies to; measured on 120,000 profiles):

| mess | share |
|---|---|
| email with case noise ("Anna.Smith@Example.COM", all upper) | 2 % |
| email with surrounding spaces ("  anna.smith@example.com ") | 1 % |
| invalid email ("anna.smith@", "n/a", "anna.smith at example.com") | 0.5 % |
| junk email (test@test.com, unknown, none@none.com) | 0.5 % |
| invalid phone ("12", "n/a") | 0.5 % |
| junk phone 0000000000 | 0.4 % |
| country as a name, alias or lower case ("Deutschland", "U.K.", "us") | 25 % |
| required id missing (empty text or NULL) | 0.3 % |
| unreadable timestamp ("not a date", "2026-02-30 10:00", "31/12/2026") | 0.4 % |
| readable timestamp in another format (offset, "Z", no zone) | 3 % |
| unreadable amount ("12,3,4", "abc") | 0.4 % |
| amount needing cleanup ("$1,234.50", "€63.01", " 12.30 ") | 1 % |
| event landing twice (same id; half identical, half loaded later) | 1.2 % |
| record version landing twice, identical | 1 % |
| loaded 2-9 days after the event instead of hours | 3 % |
| tracking timestamp hours or days after received_at | 0.6 % |
| typo variant of a person's email in one system ("gmial.com") | 2 % of people |
| family mailbox shared by the shoppers of a household | 8 % of households |
| office phone shared by all contacts of an account | 30 % of accounts |
| record with several versions (contacts, customers) | 54 %, 38 % |
| subscribers unsubscribed, cleaned (hard bounce), complained | 8, 3, 0.5 % |
| soft and hard bounces per send | 0.8 %, 0.2 % |
| people filing privacy requests (deletion, access, opt_out) | 0.45 % |
| --next-day: rows that already landed sent again | 3 % of 3 days |

Phones come in every national habit ("(415) 555-0134", "415.555.0134",
"+1 415 555 0134", "0044 20 7946 0958", "020 7946 0958", "+49 (0)30
1234567", "06 12 34 56 78"), each valid for the staging phone rules. The
same person shows different emails and phones across systems: the work
address and direct line in the CRM, the personal address in the shop, an
alternative address at the till. Privacy requests come mostly from people
known to several systems.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType

import duckdb
from tqdm import tqdm

from cdp.contract import SourceSpec, landing_specs
from cdp.synth import (
    consent,
    crm,
    esp,
    media,
    offline,
    population,
    privacy,
    shop,
    sqlkit,
    tracking,
    truth,
)
from cdp.synth.population import Batch, World

GENERATOR_VERSION = 2
DEFAULT_START = date(2025, 12, 1)
DEFAULT_DAYS = 365
DEFAULT_SEED = 42
DEFAULT_PROFILES = 10_000
CHUNK_PEOPLE = 240_000
MANIFEST = "manifest.json"

# Source modules whose tables are generated chunk by chunk of people.
PEOPLE_SOURCES: dict[str, ModuleType] = {
    "crm": crm,
    "tracking": tracking,
    "esp": esp,
    "shop": shop,
    "offline": offline,
    "consent": consent,
    "privacy": privacy,
    "truth": truth,
}
# Tables that do not depend on people: generated once per batch.
GLOBAL_TABLES: dict[str, Callable[[Batch], dict[str, str]]] = {
    "shop": shop.global_tables,
    "media": media.global_tables,
}


class GeneratorError(RuntimeError):
    """The generator cannot run with the given arguments or output folder."""


@dataclass
class Manifest:
    """What an output folder holds; written as <out>/manifest.json."""

    seed: int
    profiles: int
    start_date: str
    initial_days: int
    days_generated: int
    people: int
    row_counts: dict[str, int] = field(default_factory=dict)
    batches: list[dict] = field(default_factory=list)
    generator_version: int = GENERATOR_VERSION

    @property
    def world(self) -> World:
        return World(
            self.seed,
            date.fromisoformat(self.start_date),
            self.profiles,
            self.initial_days,
        )

    def write(self, out: Path) -> None:
        document = {
            "generator_version": self.generator_version,
            "seed": self.seed,
            "profiles": self.profiles,
            "start_date": self.start_date,
            "initial_days": self.initial_days,
            "days_generated": self.days_generated,
            "people": self.people,
            "row_counts": dict(sorted(self.row_counts.items())),
            "batches": self.batches,
        }
        (out / MANIFEST).write_text(json.dumps(document, indent=2) + "\n")

    @classmethod
    def read(cls, out: Path) -> Manifest:
        path = out / MANIFEST
        try:
            document = json.loads(path.read_text())
        except FileNotFoundError:
            raise GeneratorError(
                f"{path} not found: --next-day adds a day to an existing output "
                "folder; run `cdp generate` without --next-day first"
            ) from None
        except json.JSONDecodeError as error:
            raise GeneratorError(
                f"{path} is not valid JSON ({error}); regenerate the folder"
            ) from None
        if document.get("generator_version") != GENERATOR_VERSION:
            raise GeneratorError(
                f"{path} was written by generator version "
                f"{document.get('generator_version')}, this is version "
                f"{GENERATOR_VERSION}; regenerate the folder"
            )
        return cls(
            seed=document["seed"],
            profiles=document["profiles"],
            start_date=document["start_date"],
            initial_days=document["initial_days"],
            days_generated=document["days_generated"],
            people=document["people"],
            row_counts=document["row_counts"],
            batches=document["batches"],
        )


def _specs() -> dict[str, SourceSpec]:
    return {spec.name: spec for spec in landing_specs()}


def _connect(seed: int, start: date) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    # Output order must not depend on thread scheduling.
    connection.execute("set preserve_insertion_order = true")
    epoch = int(
        (date(start.year, start.month, start.day) - date(1970, 1, 1)).total_seconds()
    )
    for statement in sqlkit.macros(seed, epoch):
        connection.execute(statement)
    return connection


def _check_columns(path: Path, source: str, table: str, expected: list[str]) -> None:
    """The file just written has the contract's columns, in order."""
    with path.open(encoding="utf-8") as handle:
        produced = handle.readline().rstrip("\n").split(",")
    if produced != expected:
        raise GeneratorError(
            f"the generator's {source}.{table} columns {produced} differ from the "
            f"contract's {expected}; update cdp/synth/{source}.py to match "
            f"models/staging/{source}/_{source}__sources.yml"
        )


def _copy(connection: duckdb.DuckDBPyConnection, sql: str, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path).replace("'", "''")
    return connection.execute(
        f"copy ({sql}) to '{target}' (format csv, header true)"
    ).fetchone()[0]


class _Writer:
    """Writes the tables of one batch and keeps count of the rows."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, out: Path, prefix: str
    ) -> None:
        self.connection = connection
        self.out = out
        self.prefix = prefix
        self.specs = _specs()
        self.checked: set[str] = set()
        self.counts: dict[str, int] = {}

    def write(self, source: str, tables: dict[str, str], part: int) -> None:
        spec = self.specs[source]
        unknown = set(tables) - set(spec.tables)
        if unknown:
            raise GeneratorError(
                f"cdp/synth/{source}.py generates {sorted(unknown)}, which the "
                f"contract for {source} does not list; add the tables to the "
                "sources YAML or drop them from the generator"
            )
        for table, sql in tables.items():
            name = f"{source}.{table}"
            path = self.out / source / table / f"{self.prefix}-{part:05d}.csv"
            rows = _copy(self.connection, sql, path)
            if name not in self.checked:
                _check_columns(path, source, table, spec.tables[table])
                self.checked.add(name)
            self.counts[name] = self.counts.get(name, 0) + rows


def _chunks(first: int, last: int, size: int) -> Iterator[tuple[int, int]]:
    """[first, last) in chunks that start on multiples of CHUNK_MULTIPLE."""
    start = first
    while start < last:
        end = min(last, (start // size + 1) * size)
        yield start, end
        start = end


def _run_batch(
    batch: Batch,
    out: Path,
    prefix: str,
    people: tuple[int, int],
    chunk_size: int,
    progress: bool,
) -> dict[str, int]:
    connection = _connect(batch.world.seed, batch.world.start)
    # Optional hooks of a source module: setup(batch, connection) once per
    # batch, prepare(batch) -> statements once per chunk of people.
    for module in PEOPLE_SOURCES.values():
        if hasattr(module, "setup"):
            module.setup(batch, connection)
    writer = _Writer(connection, out, prefix)
    for source, make_tables in GLOBAL_TABLES.items():
        writer.write(source, make_tables(batch), 0)
    chunks = list(_chunks(people[0], people[1], chunk_size))
    bar = tqdm(
        total=len(chunks) * len(PEOPLE_SOURCES),
        desc=f"generate {prefix}",
        unit="step",
        disable=not progress,
        file=sys.stderr,
        leave=False,
    )
    for part, (p0, p1) in enumerate(chunks):
        bar.set_postfix_str(f"people {p0:,}-{p1:,}")
        for statement in population.chunk_statements(p0, p1, batch.world):
            connection.execute(statement)
        for source, module in PEOPLE_SOURCES.items():
            for statement in getattr(module, "prepare", lambda _: [])(batch):
                connection.execute(statement)
            writer.write(source, module.tables(batch), part)
            bar.update()
    bar.close()
    connection.close()
    return writer.counts


def _validate(profiles: int, days: int, seed: int) -> None:
    if profiles < 1:
        raise GeneratorError(f"--profiles {profiles}: give at least 1")
    if days < 1:
        raise GeneratorError(f"--days {days}: give at least 1")
    if not 0 <= seed < 2**63:
        raise GeneratorError(f"--seed {seed}: give an integer from 0 to 2**63-1")


def generate(
    out: Path,
    profiles: int = DEFAULT_PROFILES,
    seed: int = DEFAULT_SEED,
    start: date = DEFAULT_START,
    days: int = DEFAULT_DAYS,
    chunk_size: int = CHUNK_PEOPLE,
    progress: bool = True,
) -> Manifest:
    """Generates the initial window into `out` (replacing what is there)."""
    _validate(profiles, days, seed)
    chunk_size = max(
        population.CHUNK_MULTIPLE,
        chunk_size // population.CHUNK_MULTIPLE * population.CHUNK_MULTIPLE,
    )
    out = Path(out)
    if out.exists() and not (out / MANIFEST).exists() and any(out.iterdir()):
        raise GeneratorError(
            f"{out} exists, is not empty and holds no {MANIFEST}: it does not "
            "look like generator output; choose another --out or empty it"
        )
    # Write beside the target and swap at the end, so that a failed or
    # interrupted run never leaves a half-written folder behind a manifest.
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    world = World(seed, start, profiles, days)
    batch = Batch(world, 0, days, 0)
    counts = _run_batch(batch, staging, "part", (0, profiles), chunk_size, progress)
    manifest = Manifest(
        seed=seed,
        profiles=profiles,
        start_date=start.isoformat(),
        initial_days=days,
        days_generated=days,
        people=profiles,
        row_counts=counts,
        batches=[
            {
                "prefix": "part",
                "first_day": 0,
                "days": days,
                "people": [0, profiles],
                "row_counts": dict(sorted(counts.items())),
            }
        ],
    )
    manifest.write(staging)
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return manifest


def generate_next_day(
    out: Path, chunk_size: int = CHUNK_PEOPLE, progress: bool = True
) -> Manifest:
    """Adds the day after the last generated one to an existing output folder."""
    out = Path(out)
    manifest = Manifest.read(out)
    world = manifest.world
    day = manifest.days_generated
    batch = Batch(world, day, 1, day + 1)
    people = world.people_until(day)
    prefix = f"day-{day + 1:04d}"
    # Files of an earlier attempt at this day that did not finish.
    for leftover in sorted(out.glob(f"*/*/{prefix}-*.csv")):
        leftover.unlink()
    counts = _run_batch(batch, out, prefix, (0, people), chunk_size, progress)
    for name, rows in counts.items():
        manifest.row_counts[name] = manifest.row_counts.get(name, 0) + rows
    manifest.days_generated = day + 1
    manifest.people = people
    manifest.batches.append(
        {
            "prefix": prefix,
            "first_day": day,
            "days": 1,
            "people": [0, people],
            "row_counts": dict(sorted(counts.items())),
        }
    )
    manifest.write(out)
    return manifest


def summary(
    manifest: Manifest, out: Path, seconds: float, added: dict[str, int]
) -> str:
    rows = sum(added.values())
    return (
        f"generated {rows:,} rows in {len(added)} tables for {manifest.people:,} "
        f"people (seed {manifest.seed}, {manifest.days_generated} days from "
        f"{manifest.start_date}) in {seconds:.1f} s -> {out}"
    )


def timed(function: Callable[..., Manifest], *args, **kwargs) -> tuple[Manifest, float]:
    started = time.perf_counter()
    manifest = function(*args, **kwargs)
    return manifest, time.perf_counter() - started
