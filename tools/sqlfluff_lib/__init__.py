"""Stand-ins for dbt and for this project's macros, used by sqlfluff's jinja
templater when it lints the models.

sqlfluff's dbt templater compiles every file through dbt and takes minutes
on this project; the jinja templater takes seconds. It needs every name a
model uses to exist, so each project macro (found by scanning macros/) is
stood in for by a function that renders as a plain SQL call with the same
arguments. The model files themselves are linted exactly as written; the
macros' own SQL is checked by dbt's compile and the tests.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

_MACRO = re.compile(r"\{%-?\s*(?:macro|test)\s+(\w+)\s*\(")


def _literal(value: object) -> str:
    text = str(value).replace("'", "''")
    return f"'{text}'"


def _call(name: str):
    """A stand-in rendering `name('arg', ...)`: arguments become string
    literals, so that the call parses whatever SQL they hold."""

    def render(*args: object, **kwargs: object) -> str:
        values = [*args, *kwargs.values()]
        return f"{name}({', '.join(_literal(value) for value in values)})"

    return render


def _project_macros() -> dict[str, object]:
    macros_dir = Path(__file__).resolve().parents[2] / "macros"
    names = set()
    for path in macros_dir.rglob("*.sql"):
        names.update(_MACRO.findall(path.read_text()))
    return {name: _call(name) for name in names}


globals().update(_project_macros())


def validate_identity_rules() -> str:
    """Runs checks at build time and renders no SQL."""
    return ""


def identity_regex_rule_matches(
    values_cte: str, rules_cte: str, force_join: bool = False
) -> str:
    """A whole select in the real macro; here one reading both CTEs."""
    return (
        f"select {values_cte}.identifier_type, {values_cte}.identifier_value,"
        f" {rules_cte}.identifier_type as blocked_rule_identifier_type,"
        f" {rules_cte}.match_type as blocked_rule_match_type,"
        f" {rules_cte}.value as blocked_rule_value"
        f" from {values_cte} inner join {rules_cte}"
        f" on {values_cte}.identifier_type = {rules_cte}.identifier_type"
    )


def validate_profile_survivorship() -> str:
    """Runs checks at build time and renders no SQL."""
    return ""


def profile_attribute_sources() -> dict[str, list[str]]:
    """A one-entry mapping, so that loops over the attributes render once."""
    return {"first_name": ["crm_contacts"]}


def opportunity_stage_aliases() -> dict[str, list[str]]:
    """A one-entry mapping, so that loops over the stages render once."""
    return {"closed_won": ["won"]}


def staged_tables() -> list[dict[str, str]]:
    """A one-entry list, so that loops over the staged tables render once."""
    return [{"source": "crm", "table": "contacts"}]


def _type(name: str):
    return lambda *args: name


dbt = SimpleNamespace(
    type_string=_type("text"),
    type_bigint=_type("bigint"),
    type_int=_type("integer"),
    type_timestamp=_type("timestamp"),
    type_float=_type("float"),
    type_numeric=_type("numeric"),
    type_boolean=_type("boolean"),
    hash=_call("md5"),
    concat=lambda values: f"concat({', '.join(values)})",
    cast=lambda value, type_name: f"cast({value} as {type_name})",
    dateadd=_call("dateadd"),
    datediff=_call("datediff"),
    date_trunc=_call("date_trunc"),
    listagg=lambda measure, delimiter="','", *rest: (
        f"string_agg({measure}, {delimiter})"
    ),
    generate_series=lambda upper: (
        f"select generate_series as generated_number from generate_series(1, {upper})"
    ),
    current_timestamp=lambda: "current_timestamp",
    position=lambda substring, text: f"position({substring} in {text})",
    split_part=lambda text, delimiter, part: f"split_part({text}, {delimiter}, {part})",
    right=lambda text, length: f"right({text}, {length})",
    length=lambda text: f"length({text})",
)
adapter = SimpleNamespace(
    dispatch=lambda name, *args: _call(name),
    quote=lambda identifier: f'"{identifier}"',
)
target = SimpleNamespace(type="duckdb", schema="main", name="duckdb")
run_started_at = datetime(2026, 1, 1)
invocation_id = "00000000-0000-0000-0000-000000000000"
execute = False
