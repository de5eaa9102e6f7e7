"""The governance seed checks on seeds with broken rows: the retention
windows (validate_retention_windows, macros/activity/retention.sql) and the
profile survivorship rules (validate_profile_survivorship,
macros/profiles/). Each broken rule must stop the build before any model
that reads the seed runs, naming the file, the row and the fix; the seeds
as shipped must pass.

The project under test is a small copy of this checkout: the two seed
folders, the macros the checks need, and one model per check that runs it
as the activity marts and int_profiles__golden_attributes do. Each variant
of the seeds is built once per warehouse, and every rule is its own test
case on that build's output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdp import warehouse

DBT = str(Path(sys.executable).with_name("dbt"))
# The checkout this file belongs to (the installed cdp package may come
# from another one).
PROJECT_DIR = Path(__file__).resolve().parents[2]
PG_DATABASE = "cdp_pytest_governance"
Build = subprocess.CompletedProcess[str]
RETENTION = "seeds/governance/retention_windows.csv"
SURVIVORSHIP = "seeds/profiles/profile_survivorship.csv"

PROJECT_YML = """\
name: warehouse_cdp
version: "0.1.0"
config-version: 2
profile: warehouse_cdp
model-paths: ["models"]
macro-paths: ["macros"]
seed-paths: ["seeds"]
seeds:
  warehouse_cdp:
    +schema: seeds
"""

CHECK_MODELS = {
    "retention_windows_checked.sql": """\
{%- do validate_retention_windows() -%}
-- depends_on: {{ ref('retention_windows') }}
select 1 as windows_checked
""",
    "profile_survivorship_checked.sql": """\
{{ validate_profile_survivorship() }}
-- depends_on: {{ ref('profile_survivorship') }}
select 1 as rules_checked
""",
}

# The broken variant rewrites seed rows by their first field (None drops
# the row) and appends rows; every other row stays as shipped, and
# test_only_broken_rows_are_reported checks that none of those is named.
BROKEN_RETENTION_ROWS = {
    "email_events": "email_events,0,Nothing kept.",
    "orders": "orders,-30,A negative window.",
    "service_cases": "service_cases,30.5,Half a day too many.",
    "crm_activities": None,
}
BROKEN_RETENTION_EXTRA = [
    "web_events,30,A second window for the same class.",
    "sms_events,90 days,",
]
BROKEN_SURVIVORSHIP_ROWS = {
    "company": "company,newest,crm_contacts|crm_leads,No such rule.",
    "job_title": "job_title,source_precedence,,No order to take precedence.",
    "city": "city,source_precedence,CRM_contacts|shop_customers,Upper case.",
    "postal_code": "postal_code,source_precedence,crm_contacts|crm_leads,Leads.",
    "street": "street,source_precedence,crm_contacts|,A trailing separator.",
    "last_name": "last_name,most_recent,crm_contacts|crm_leads|crm_contacts,",
    "country_code": None,
}
BROKEN_SURVIVORSHIP_EXTRA = [
    "phone,most_recent,crm_contacts,A second rule for the same attribute.",
    "nickname,most_recent,crm_contacts,Not a golden attribute.",
]

CLASSES = "web_events, email_events, orders, service_cases, crm_activities"
ATTRIBUTES = (
    "first_name, last_name, email, phone, country_code, street, city,"
    " postal_code, company, job_title"
)
RETENTION_RULES = {
    "zero_window": (
        f"{RETENTION}: retention_days of data_class 'email_events' is '0';"
        " write a whole number of days, 1 or more"
    ),
    "negative_window": (
        f"{RETENTION}: retention_days of data_class 'orders' is '-30';"
        " write a whole number of days, 1 or more"
    ),
    "fractional_window": (
        f"{RETENTION}: retention_days of data_class 'service_cases' is"
        " '30.5'; write a whole number of days, 1 or more"
    ),
    "window_not_a_number": (
        f"{RETENTION}: retention_days of data_class 'sms_events' is"
        " '90 days'; write a whole number of days, 1 or more"
    ),
    "class_listed_twice": (
        f"{RETENTION}: data_class 'web_events' is listed twice; keep one row per class"
    ),
    "unknown_class": (
        f"{RETENTION}: data_class 'sms_events' is not a class the marts"
        f" keep; use one of {CLASSES}"
    ),
    "no_description": (
        f"{RETENTION}: data_class 'sms_events' has no description;"
        " say what it holds and why"
    ),
    "class_missing": (
        f"{RETENTION}: no row for data_class 'crm_activities'; add one with"
        " its retention_days"
    ),
}
SURVIVORSHIP_RULES = {
    "unknown_attribute": (
        f"{SURVIVORSHIP}: attribute 'nickname' is not a profile attribute;"
        f" use one of {ATTRIBUTES}"
    ),
    "attribute_listed_twice": (
        f"{SURVIVORSHIP}: attribute 'phone' is listed twice; keep one row per attribute"
    ),
    "unknown_rule": (
        f"{SURVIVORSHIP}: rule 'newest' of attribute 'company' must be one"
        " of source_precedence, most_recent, most_frequent"
    ),
    "precedence_without_order": (
        f"{SURVIVORSHIP}: attribute 'job_title' uses source_precedence but"
        " has no source_order; list its sources, best first, separated by |"
    ),
    "malformed_source": (
        f"{SURVIVORSHIP}: source_order of 'city' has an empty or malformed"
        " source 'CRM_contacts'; separate source names by | without spaces"
    ),
    "empty_source": (
        f"{SURVIVORSHIP}: source_order of 'street' has an empty or malformed"
        " source ''; separate source names by | without spaces"
    ),
    "source_without_attribute": (
        f"{SURVIVORSHIP}: source 'crm_leads' in source_order of"
        " 'postal_code' offers no such attribute; use one of crm_contacts,"
        " shop_customers, offline_loyalty_members"
    ),
    "source_listed_twice": (
        f"{SURVIVORSHIP}: source 'crm_contacts' is listed twice in"
        " source_order of 'last_name'"
    ),
    "no_description": (
        f"{SURVIVORSHIP}: attribute 'last_name' has no description;"
        " say why the rule fits it"
    ),
    "attribute_missing": (
        f"{SURVIVORSHIP}: attribute 'country_code' has no rule; add a row for it"
    ),
}
HEADER_RULES = {
    "retention_column_missing": (
        f"{RETENTION}: the header has no column 'retention_days'; the first"
        " line must name the columns data_class,retention_days,description"
    ),
    "survivorship_column_missing": (
        f"{SURVIVORSHIP}: the header has no column 'rule'; the first line"
        " must name the columns attribute_name,rule,source_order,description"
    ),
}


def _rewrite(seed: Path, rows: dict[str, str | None], extra: list[str]) -> None:
    header, *lines = seed.read_text().splitlines()
    kept = []
    for line in lines:
        key = line.split(",", 1)[0]
        if key not in rows:
            kept.append(line)
        elif rows[key] is not None:
            kept.append(rows[key])
    seed.write_text("\n".join([header, *kept, *extra]) + "\n")


def _rename_column(seed: Path, old: str, new: str) -> None:
    header, rest = seed.read_text().split("\n", 1)
    columns = [new if column == old else column for column in header.split(",")]
    seed.write_text(",".join(columns) + "\n" + rest)


@pytest.fixture(scope="module")
def profiles_dir() -> Path:
    folder = Path(
        warehouse.setting(None, "DBT_PROFILES_DIR", str(PROJECT_DIR / ".dbt"))
    )
    if not (folder / "profiles.yml").is_file():
        pytest.skip(f"no profiles.yml in {folder}: run `make build` first")
    return folder


@pytest.fixture(scope="module")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("governance") / "shipped"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    for name, sql in CHECK_MODELS.items():
        (project / "models" / name).write_text(sql)
    for folder in ("activity", "profiles", "identity_rules"):
        shutil.copytree(PROJECT_DIR / "macros" / folder, project / "macros" / folder)
    for folder in ("governance", "profiles"):
        shutil.copytree(PROJECT_DIR / "seeds" / folder, project / "seeds" / folder)
    return project


@pytest.fixture(
    scope="module",
    params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def target(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "duckdb":
        yield "duckdb"
        return
    problem = warehouse.postgres_problem()
    if problem:
        pytest.skip(f"no PostgreSQL server: {problem}")
    warehouse.recreate_postgres_database(PG_DATABASE)
    try:
        yield "postgres"
    finally:
        warehouse.drop_postgres_database(PG_DATABASE)


def _build(project: Path, target: str, profiles_dir: Path) -> Build:
    """Builds the project's seeds and check models (the seeds' data tests
    are left out: the checks must stand on their own, as in `dbt run`)."""
    env = dict(os.environ)
    env.update(
        {
            "CDP_DUCKDB_PATH": str(project / "warehouse.duckdb"),
            "PGDATABASE": PG_DATABASE,
            # One Postgres database serves every variant, a schema each.
            "CDP_PG_SCHEMA": f"governance_{project.name}",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    return subprocess.run(
        [DBT, "build", "--target", target, "--project-dir", str(project),
         "--profiles-dir", str(profiles_dir), "--exclude-resource-type", "test",
         "--target-path", str(project / "target"),
         "--log-path", str(project / "logs")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _output(result: Build) -> str:
    return result.stdout + result.stderr


def _variant(base: Path, name: str) -> Path:
    project = base.with_name(name)
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(base, project)
    return project


@pytest.fixture(scope="module")
def shipped_build(base_project: Path, target: str, profiles_dir: Path) -> Build:
    return _build(_variant(base_project, "shipped_seeds"), target, profiles_dir)


@pytest.fixture(scope="module")
def broken_build(base_project: Path, target: str, profiles_dir: Path) -> Build:
    project = _variant(base_project, "broken_rows")
    _rewrite(project / RETENTION, BROKEN_RETENTION_ROWS, BROKEN_RETENTION_EXTRA)
    _rewrite(
        project / SURVIVORSHIP, BROKEN_SURVIVORSHIP_ROWS, BROKEN_SURVIVORSHIP_EXTRA
    )
    return _build(project, target, profiles_dir)


@pytest.fixture(scope="module")
def header_build(base_project: Path, target: str, profiles_dir: Path) -> Build:
    project = _variant(base_project, "broken_headers")
    _rename_column(project / RETENTION, "retention_days", "days")
    _rename_column(project / SURVIVORSHIP, "rule", "rule_name")
    return _build(project, target, profiles_dir)


@pytest.mark.slow
def test_shipped_seeds_pass(shipped_build: Build) -> None:
    assert shipped_build.returncode == 0, _output(shipped_build)


@pytest.mark.slow
def test_broken_seeds_stop_both_checks(broken_build: Build) -> None:
    output = _output(broken_build)
    assert broken_build.returncode != 0, output
    for model in CHECK_MODELS:
        assert f"Compilation Error in model {Path(model).stem}" in output, output
    assert "The retention windows cannot be applied" in output, output
    assert "The profile survivorship rules cannot be applied" in output, output


@pytest.mark.slow
@pytest.mark.parametrize("rule", RETENTION_RULES)
def test_broken_retention_window_is_named(broken_build: Build, rule: str) -> None:
    assert RETENTION_RULES[rule] in _output(broken_build), _output(broken_build)


@pytest.mark.slow
@pytest.mark.parametrize("rule", SURVIVORSHIP_RULES)
def test_broken_survivorship_rule_is_named(broken_build: Build, rule: str) -> None:
    assert SURVIVORSHIP_RULES[rule] in _output(broken_build), _output(broken_build)


@pytest.mark.slow
def test_only_broken_rows_are_reported(broken_build: Build) -> None:
    reported = {
        line.strip()
        for line in _output(broken_build).splitlines()
        if line.strip().startswith((RETENTION, SURVIVORSHIP))
    }
    expected = {*RETENTION_RULES.values(), *SURVIVORSHIP_RULES.values()}
    assert reported == expected, _output(broken_build)


@pytest.mark.slow
@pytest.mark.parametrize("rule", HEADER_RULES)
def test_missing_column_is_named(header_build: Build, rule: str) -> None:
    output = _output(header_build)
    assert header_build.returncode != 0, output
    assert HEADER_RULES[rule] in output, output
    # The row checks do not run on a seed they cannot read.
    assert output.count("cannot be read; fix the header") == 2, output
    assert "cannot be applied" not in output, output
