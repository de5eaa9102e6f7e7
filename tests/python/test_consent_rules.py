"""The consent rule check (macros/consent_rules/) on seeds with broken rows:
the build must stop before any consent model runs, naming the file, the
row and the fix; the seeds as shipped must pass.

The project under test is a small copy: the consent seeds, the macros they
need, and one model that runs the check as int_consent__signals does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdp import warehouse

DBT = str(Path(sys.executable).with_name("dbt"))

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
vars:
  cdp_consent_expiry_days: 395
seeds:
  warehouse_cdp:
    +schema: seeds
"""

CHECK_MODEL = """\
{%- do validate_consent_rules() -%}
-- depends_on: {{ ref('consent_purposes') }}
-- depends_on: {{ ref('consent_signal_purposes') }}
-- depends_on: {{ ref('consent_jurisdictions') }}
-- depends_on: {{ ref('consent_regional_defaults') }}
-- depends_on: {{ ref('suppression_legal_holds') }}
select 1 as rules_checked
"""

# Seed file -> rows appended to break it.
BROKEN_ROWS = {
    "consent_signal_purposes.csv": [
        "tcf,purpose_12,analytics,both,No such TCF purpose.",
        "gpc,gpc,ad_storage,sometimes,Unknown purpose and effect.",
    ],
    "consent_regional_defaults.csv": ["mars,analytics,,No answer."],
    "consent_jurisdictions.csv": ["country,usa,us"],
}


def _project(root: Path, broken: bool) -> Path:
    source = warehouse.PROJECT_DIR
    project = root / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(PROJECT_YML)
    (project / "models" / "consent_rules_checked.sql").write_text(CHECK_MODEL)
    for folder in ("consent_rules", "identity_rules", "cross_db"):
        shutil.copytree(source / "macros" / folder, project / "macros" / folder)
    shutil.copytree(source / "seeds" / "consent", project / "seeds" / "consent")
    shutil.copytree(source / "tests" / "generic", project / "tests" / "generic")
    if broken:
        for name, rows in BROKEN_ROWS.items():
            seed = project / "seeds" / "consent" / name
            text = seed.read_text().rstrip("\n")
            seed.write_text(text + "\n" + "\n".join(rows) + "\n")
    return project


def _build(project: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        {
            "CDP_DUCKDB_PATH": str(tmp_path / "consent_rules.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    profiles_dir = warehouse.setting(
        None, "DBT_PROFILES_DIR", str(warehouse.PROJECT_DIR / ".dbt")
    )
    if not (Path(profiles_dir) / "profiles.yml").is_file():
        pytest.skip(f"no profiles.yml in {profiles_dir}: run `make build` first")
    return subprocess.run(
        [DBT, "build", "--target", "duckdb", "--project-dir", str(project),
         "--profiles-dir", profiles_dir, "--exclude-resource-type", "test",
         "--target-path", str(project / "target"),
         "--log-path", str(project / "logs")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_shipped_consent_rules_pass(tmp_path: Path) -> None:
    result = _build(_project(tmp_path, broken=False), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_broken_consent_rules_fail_naming_file_and_row(tmp_path: Path) -> None:
    result = _build(_project(tmp_path, broken=True), tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "The consent rules cannot be applied" in output, output
    signals = "seeds/consent/consent_signal_purposes.csv"
    defaults = "seeds/consent/consent_regional_defaults.csv"
    jurisdictions = "seeds/consent/consent_jurisdictions.csv"
    for expected in (
        f"{signals}: row 'tcf,purpose_12,analytics': a TCF signal is purpose_1",
        f"{signals}: row 'gpc,gpc,ad_storage': purpose is not in",
        f"{signals}: row 'gpc,gpc,ad_storage': effect 'sometimes' must be",
        f"{defaults}: row 'mars,analytics': is_permitted_without_choice is empty",
        f"{defaults}: group 'mars' has no row for purpose 'profiling'",
        f"{jurisdictions}: row 'country,usa': a country code is two upper-case",
    ):
        assert expected in output, output
    # A sound row of the same files is not reported.
    assert "'gpc,gpc,sale_share'" not in output
