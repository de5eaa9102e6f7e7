"""The raw landing contract: which tables each source lands, with which columns.

The contract is written once, in the dbt sources files
`models/staging/<source>/_<source>__sources.yml`; this module reads it so
that the generator, the loader and the tests never keep a second copy. Per
source it gives the default raw schema (the default of the `schema:` var,
e.g. `{{ var('cdp_crm_schema', 'raw_crm') }}` -> `raw_crm`) and, per table,
the ordered column names. Every raw column is text.

The identity ground truth written by the generator (`raw_truth`) is not part
of the contract: no staging model reads it. It is described here as
`TRUTH_SOURCE` so that the loader can treat it like any other source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
_SCHEMA_DEFAULT = re.compile(r"""var\(\s*['"]\w+['"]\s*,\s*['"](\w+)['"]\s*\)""")


@dataclass(frozen=True)
class SourceSpec:
    """One source: its default raw schema and its tables' ordered columns."""

    name: str
    schema: str
    tables: dict[str, list[str]]


TRUTH_SOURCE = SourceSpec(
    name="truth",
    schema="raw_truth",
    tables={
        "person_identifiers": ["person_key", "identifier_type", "identifier_value"]
    },
)


class ContractError(ValueError):
    """A sources file that the generator and loader cannot work from."""


def _default_schema(path: Path, source: dict) -> str:
    schema = str(source.get("schema", ""))
    match = _SCHEMA_DEFAULT.search(schema)
    if match:
        return match.group(1)
    if re.fullmatch(r"\w+", schema):
        return schema
    raise ContractError(
        f"{path}: source {source.get('name')!r} has schema {schema!r}; write it "
        "as {{ var('cdp_<source>_schema', 'raw_<source>') }} so that the raw "
        "schema has a default"
    )


def _read_sources_file(path: Path) -> list[SourceSpec]:
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise ContractError(
            f"{path}: not valid YAML ({error}); fix the file"
        ) from error
    specs = []
    for source in document.get("sources", []):
        tables: dict[str, list[str]] = {}
        for table in source.get("tables", []):
            columns = [column["name"] for column in table.get("columns", [])]
            if not columns:
                raise ContractError(
                    f"{path}: table {source['name']}.{table['name']} lists no "
                    "columns; every raw table needs its columns in the contract"
                )
            if len(set(columns)) != len(columns):
                raise ContractError(
                    f"{path}: table {source['name']}.{table['name']} lists a "
                    "column twice; remove the repeat"
                )
            tables[table["name"]] = columns
        specs.append(SourceSpec(source["name"], _default_schema(path, source), tables))
    return specs


def load_contract(project_dir: Path | str | None = None) -> dict[str, SourceSpec]:
    """Every source of the contract, by name, in sorted file order."""
    root = Path(project_dir) if project_dir else PROJECT_DIR
    files = sorted(root.glob(SOURCES_GLOB))
    if not files:
        raise ContractError(
            f"no sources files ({SOURCES_GLOB}) under {root}; run from the "
            "project folder or pass its path"
        )
    contract: dict[str, SourceSpec] = {}
    for path in files:
        for spec in _read_sources_file(path):
            if spec.name in contract:
                raise ContractError(
                    f"{path}: source {spec.name!r} is defined twice; keep one"
                )
            contract[spec.name] = spec
    return contract


def landing_specs(project_dir: Path | str | None = None) -> list[SourceSpec]:
    """What the generator writes and the loader loads: the contract's sources
    and the identity ground truth."""
    return [*load_contract(project_dir).values(), TRUTH_SOURCE]


def raw_relations(project_dir: Path | str | None = None) -> list[str]:
    """Every raw table of the contract as `schema.table`, at its default
    schema."""
    return [
        f"{spec.schema}.{table}"
        for spec in load_contract(project_dir).values()
        for table in spec.tables
    ]
