"""The `cdp` command line: generate raw data, load it, or set up the sample.

cdp generate [--profiles N] [--seed S] [--out DIR] [--start-date D] [--days N]
cdp generate --out DIR --next-day
cdp load --target duckdb|postgres --data DIR [--replace] [--duckdb-path P]
cdp sample [--target duckdb|postgres]
cdp identity explain TYPE:VALUE TYPE:VALUE [--warehouse SPEC]
cdp identity diff --base SPEC --head SPEC [--top N] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from cdp import generate, identity_tools, load, warehouse

SAMPLE_PROFILES = 3000
SAMPLE_SEED = 42
SAMPLE_DIR = Path("data/sample")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD"
        ) from None


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give 1 or more")
    return value


def _target_argument(parser: argparse.ArgumentParser, required: bool) -> None:
    default = os.environ.get("CDP_TARGET", "duckdb")
    parser.add_argument(
        "--target",
        choices=["duckdb", "postgres"],
        default=None if required else default,
        required=required,
        help="warehouse to load into"
        + ("" if required else f" (default {default}, from CDP_TARGET)"),
    )
    parser.add_argument(
        "--duckdb-path",
        type=Path,
        default=None,
        help="DuckDB file (default: CDP_DUCKDB_PATH, else warehouse/cdp.duckdb); "
        "its folder is created",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cdp",
        description="Sample data for the warehouse-native CDP: generate messy raw "
        "tables for every source of the landing contract and bulk-load them "
        "into DuckDB or PostgreSQL; review identity resolution.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    gen = commands.add_parser(
        "generate",
        help="write raw CSV files for a generated population",
        description="Write deterministic, realistically messy raw CSV files for every "
        "table of the contract, one folder per source/table, plus manifest.json and "
        "the identity ground truth (truth/person_identifiers). Same seed and "
        "arguments give byte-identical files.",
    )
    gen.add_argument(
        "--profiles",
        type=_positive,
        default=generate.DEFAULT_PROFILES,
        help=f"people to generate (default {generate.DEFAULT_PROFILES:,}; "
        "1000000 gives tens of millions of rows)",
    )
    gen.add_argument(
        "--seed",
        type=int,
        default=generate.DEFAULT_SEED,
        help=f"random seed (default {generate.DEFAULT_SEED})",
    )
    gen.add_argument(
        "--out",
        type=Path,
        default=Path("data/generated"),
        help="output folder, replaced if it holds earlier output "
        "(default data/generated)",
    )
    gen.add_argument(
        "--start-date",
        type=_date,
        default=generate.DEFAULT_START,
        help=f"first day of the window (default {generate.DEFAULT_START})",
    )
    gen.add_argument(
        "--days",
        type=_positive,
        default=generate.DEFAULT_DAYS,
        help=f"days in the window (default {generate.DEFAULT_DAYS})",
    )
    gen.add_argument(
        "--next-day",
        action="store_true",
        help="add the day after the last generated one to the existing "
        "--out folder (late events, repeated landings, updates, new "
        "people); the other options come from its manifest",
    )
    gen.add_argument(
        "--chunk-size",
        type=_positive,
        default=generate.CHUNK_PEOPLE,
        help="people per chunk: bounds memory, one part file per chunk "
        f"(default {generate.CHUNK_PEOPLE:,})",
    )
    gen.add_argument("--quiet", action="store_true", help="no progress bar")

    loader = commands.add_parser(
        "load",
        help="bulk-load a data folder into the raw schemas",
        description="Create the raw tables from the contract (every column text) and "
        "bulk-load <data>/<source>/<table>/*.csv into them: read_csv on DuckDB, "
        "COPY FROM STDIN on Postgres (PGHOST, PGPORT, PGUSER, PGPASSWORD, "
        "PGDATABASE; defaults 127.0.0.1, 5432, postgres, empty, cdp).",
    )
    _target_argument(loader, required=True)
    loader.add_argument(
        "--data", type=Path, required=True, help="folder written by `cdp generate`"
    )
    loader.add_argument(
        "--replace",
        action="store_true",
        help="empty the raw tables first, recreating any whose columns "
        "differ from the contract (default: append)",
    )
    loader.add_argument(
        "--files",
        default=load.ALL_FILES,
        help="which part files to load, as a file-name pattern; e.g. "
        "'day-0366-*.csv' appends only the day `generate --next-day` added "
        "(default: all)",
    )

    sample = commands.add_parser(
        "sample",
        help="generate the bundled sample (if needed) and load it with --replace",
        description=f"Generate the bundled sample ({SAMPLE_PROFILES:,} profiles, seed "
        f"{SAMPLE_SEED}) into data/sample unless it is already there, then load it "
        "into the warehouse, replacing the raw tables. `make build` runs this.",
    )
    _target_argument(sample, required=False)
    sample.add_argument(
        "--data",
        type=Path,
        default=None,
        help=f"sample folder (default {SAMPLE_DIR} in the project)",
    )
    _identity_commands(commands)
    return parser


WAREHOUSE_SPEC_HELP = (
    "duckdb:PATH (or a path ending in .duckdb) or postgres:DATABASE (server "
    "from PGHOST, PGPORT, PGUSER, PGPASSWORD), then @SCHEMA_PREFIX when the "
    "database holds several builds"
)


def _identity_commands(commands: argparse._SubParsersAction) -> None:
    identity = commands.add_parser(
        "identity",
        help="explain identity links and compare two builds' profiles",
        description="Review tools for identity resolution; they read the "
        "identity tables of a built warehouse and change nothing.",
    )
    tools = identity.add_subparsers(
        dest="identity_command", required=True, metavar="command"
    )
    explain = tools.add_parser(
        "explain",
        help="print the path of edges that joins two identifiers",
        description="Print the shortest path of kept edges "
        "(int_identity__edges_ruled) joining two identifiers, each hop with "
        "its sources, first sighting and rule. When they are not linked, "
        "search again with the edges the rules cut and the blocked values "
        "records shared, and name the rule that separated them.",
    )
    explain.add_argument("first", help="an identifier, TYPE:VALUE (email:a@b.com)")
    explain.add_argument("second", help="the other identifier, TYPE:VALUE")
    explain.add_argument(
        "--warehouse",
        default=None,
        help=WAREHOUSE_SPEC_HELP + " (default: CDP_TARGET with CDP_DUCKDB_PATH "
        "or PGDATABASE)",
    )
    explain.add_argument(
        "--search-limit",
        type=_positive,
        default=identity_tools.DEFAULT_SEARCH_LIMIT,
        help="identifiers the search through cut edges may visit before it "
        f"gives up (default {identity_tools.DEFAULT_SEARCH_LIMIT:,})",
    )
    diff = tools.add_parser(
        "diff",
        help="compare the profiles of two builds (e.g. a branch against main)",
        description="Compare dim_profile_identifiers of two builds: "
        "identifiers are matched by value, and profiles sharing identifiers "
        "are grouped as unchanged, created, removed, merged, split or "
        "reshuffled. Prints the counts, the rule hits per rule and the "
        "largest changed clusters; --markdown for a pull-request comment.",
    )
    diff.add_argument("--base", required=True, help=WAREHOUSE_SPEC_HELP)
    diff.add_argument("--head", required=True, help=WAREHOUSE_SPEC_HELP)
    diff.add_argument(
        "--top",
        type=_positive,
        default=10,
        help="largest changed clusters to list (default 10)",
    )
    diff.add_argument(
        "--markdown", action="store_true", help="write Markdown, not plain text"
    )


def _run_identity(args: argparse.Namespace) -> list[str]:
    if args.identity_command == "explain":
        with identity_tools.Warehouse.from_spec(args.warehouse) as wh:
            result = identity_tools.explain(
                wh, args.first, args.second, args.search_limit
            )
        return [result.render()]
    base = identity_tools.Warehouse.from_spec(args.base)
    head = identity_tools.Warehouse.from_spec(args.head)
    with base, head:
        result = identity_tools.diff(base, head)
    return [result.render(top=args.top, markdown=args.markdown)]


def _run_generate(args: argparse.Namespace) -> str:
    progress = not args.quiet
    if args.next_day:
        manifest, seconds = generate.timed(
            generate.generate_next_day, args.out, args.chunk_size, progress
        )
        added = manifest.batches[-1]["row_counts"]
    else:
        manifest, seconds = generate.timed(
            generate.generate,
            args.out,
            args.profiles,
            args.seed,
            args.start_date,
            args.days,
            args.chunk_size,
            progress,
        )
        added = manifest.row_counts
    return generate.summary(manifest, args.out, seconds, added)


def sample_is_current(data_dir: Path) -> bool:
    """Whether `data_dir` already holds exactly the bundled sample."""
    try:
        manifest = json.loads((data_dir / generate.MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    return (
        manifest.get("generator_version") == generate.GENERATOR_VERSION
        and manifest.get("seed") == SAMPLE_SEED
        and manifest.get("profiles") == SAMPLE_PROFILES
        and manifest.get("start_date") == generate.DEFAULT_START.isoformat()
        and manifest.get("initial_days") == generate.DEFAULT_DAYS
        and manifest.get("days_generated") == generate.DEFAULT_DAYS
    )


def _run_sample(args: argparse.Namespace) -> list[str]:
    data_dir = args.data or warehouse.PROJECT_DIR / SAMPLE_DIR
    lines = []
    if sample_is_current(data_dir):
        lines.append(f"sample already in {data_dir}: not regenerated")
    else:
        manifest, seconds = generate.timed(
            generate.generate,
            data_dir,
            SAMPLE_PROFILES,
            SAMPLE_SEED,
            generate.DEFAULT_START,
            generate.DEFAULT_DAYS,
            generate.CHUNK_PEOPLE,
            False,
        )
        lines.append(generate.summary(manifest, data_dir, seconds, manifest.row_counts))
    lines.append(load.timed_load(args.target, data_dir, True, args.duckdb_path))
    return lines


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "generate":
            lines = [_run_generate(args)]
        elif args.command == "load":
            lines = [
                load.timed_load(
                    args.target, args.data, args.replace, args.duckdb_path, args.files
                )
            ]
        elif args.command == "identity":
            lines = _run_identity(args)
        else:
            lines = _run_sample(args)
    except (
        generate.GeneratorError,
        load.LoadError,
        identity_tools.IdentityToolError,
    ) as error:
        print(f"cdp {args.command}: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
