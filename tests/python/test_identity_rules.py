"""The identity rule check (macros/identity_rules/) on seeds with a broken
blocked-value pattern: the build must stop before any identity model runs,
naming the file, the row and the fix.

The project under test is a small copy: the rule seeds, the macros, and one
model that runs the check as int_identity__identifiers does, so that dbt
builds it in seconds on a warehouse of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdp import warehouse

DBT = str(Path(sys.executable).with_name("dbt"))
PG_DATABASE = "cdp_pytest_rules"
BAD_PATTERNS = [
    'email,regex,"^(broken@",An unclosed group.',
    "phone,regex,[0-9,An unclosed bracket.",
]

PROJECT_YML = """\
name: warehouse_cdp
version: "0.1.0"
config-version: 2
profile: warehouse_cdp
on-run-start:
  - "{{ create_udfs() }}"
model-paths: ["models"]
macro-paths: ["macros"]
seed-paths: ["seeds"]
test-paths: ["tests"]
seeds:
  warehouse_cdp:
    +schema: seeds
"""

CHECK_MODEL = """\
{{ validate_identity_rules() }}
-- depends_on: {{ ref('identity_identifier_types') }}
-- depends_on: {{ ref('identity_blocked_values') }}
-- depends_on: {{ ref('identity_link_overrides') }}
select 1 as rules_checked
"""


def _project(root: Path, extra_blocked_rows: list[str]) -> Path:
    source = warehouse.PROJECT_DIR
    project = root / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    (project / "models" / "identity_rules_checked.sql").write_text(CHECK_MODEL)
    for folder in ("identity_rules", "cross_db"):
        shutil.copytree(source / "macros" / folder, project / "macros" / folder)
    shutil.copytree(source / "seeds" / "identity", project / "seeds" / "identity")
    shutil.copytree(source / "tests" / "generic", project / "tests" / "generic")
    blocked = project / "seeds" / "identity" / "identity_blocked_values.csv"
    text = blocked.read_text()
    blocked.write_text(text.rstrip("\n") + "\n" + "\n".join(extra_blocked_rows) + "\n")
    return project


def _build(
    project: Path, target: str, env: dict[str, str]
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DBT, "build", "--target", target, "--project-dir", str(project),
         "--profiles-dir", str(_profiles_dir()),
         "--target-path", str(project / "target"), "--log-path",
         str(project / "logs")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _profiles_dir() -> Path:
    return Path(
        warehouse.setting(None, "DBT_PROFILES_DIR", str(warehouse.PROJECT_DIR / ".dbt"))
    )


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CDP_DUCKDB_PATH": str(tmp_path / "rules.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            **extra,
        }
    )
    return env


def _assert_names_bad_rows(result: subprocess.CompletedProcess, target: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "The identity rules cannot be applied" in output, output
    for pattern, identifier_type in (("^(broken@", "email"), ("[0-9", "phone")):
        assert (
            f"seeds/identity/identity_blocked_values.csv: regex value '{pattern}' "
            f"for type '{identifier_type}' is not a valid pattern on {target}"
        ) in output, output
    assert "or use match_type exact" in output
    # The sound rules of the same file are not reported.
    assert "@(example|test)" not in output


@pytest.fixture(scope="module")
def profiles_ready() -> None:
    if not (_profiles_dir() / "profiles.yml").is_file():
        pytest.skip(f"no profiles.yml in {_profiles_dir()}: run `make build` first")


@pytest.mark.slow
def test_bad_regex_fails_the_duckdb_build_naming_the_rows(
    tmp_path: Path, profiles_ready: None
) -> None:
    sound = _build(_project(tmp_path / "sound", []), "duckdb", _env(tmp_path))
    assert sound.returncode == 0, sound.stdout + sound.stderr
    (tmp_path / "rules.duckdb").unlink()
    broken = _project(tmp_path / "broken", BAD_PATTERNS)
    _assert_names_bad_rows(_build(broken, "duckdb", _env(tmp_path)), "duckdb")


@pytest.mark.slow
@pytest.mark.postgres
def test_bad_regex_fails_the_postgres_build_naming_the_rows(
    tmp_path: Path, profiles_ready: None
) -> None:
    problem = warehouse.postgres_problem()
    if problem:
        pytest.skip(f"no PostgreSQL server: {problem}")
    warehouse.recreate_postgres_database(PG_DATABASE)
    try:
        broken = _project(tmp_path, BAD_PATTERNS)
        result = _build(broken, "postgres", _env(tmp_path, PGDATABASE=PG_DATABASE))
        _assert_names_bad_rows(result, "postgres")
    finally:
        warehouse.drop_postgres_database(PG_DATABASE)
