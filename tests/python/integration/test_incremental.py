"""Nothing is lost: after a new day lands, an incremental build gives
exactly what a full refresh gives, on every staging and audit model and on
the incremental marts built on them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import CDP, BuiltWarehouse

from cdp import warehouse

INCREMENTAL_MODEL = "stg_tracking__pages"
# The sample holds no added days, so this matches the new day only.
NEW_DAY_FILES = "day-*.csv"
AUDIT_MODELS = ("fct_rejected_rows", "rpt_source_reconciliation")
# Incremental marts, run after staging with everything they read (identity
# included); their own tests run in the full build.
INCREMENTAL_MARTS = ("fct_web_sessions",)
MARTS_SELECTED = tuple(f"+{name}" for name in INCREMENTAL_MARTS)


def _grow_by_one_day(sample_dir: Path, work: Path) -> Path:
    """A copy of the sample with the next day generated on top."""
    grown = work / "grown"
    shutil.copytree(sample_dir, grown)
    subprocess.run(
        [CDP, "generate", "--next-day", "--quiet", "--out", str(grown)],
        check=True,
        cwd=warehouse.PROJECT_DIR,
    )
    assert any(grown.glob(f"*/*/{NEW_DAY_FILES}")), "--next-day wrote no files"
    return grown


def _snapshot(built: BuiltWarehouse, models: list[str]) -> dict[str, list[tuple]]:
    """Every row of each model, sorted, as comparable tuples."""
    tables = {}
    for model in models:
        rows = built.query(f"select * from {built.relation(model)}")
        tables[model] = sorted(rows, key=lambda row: tuple(map(str, row)))
    return tables


def _count(built: BuiltWarehouse, model: str) -> int:
    return built.query(f"select count(*) from {built.relation(model)}")[0][0]


def test_incremental_day_equals_full_refresh(
    built: BuiltWarehouse, tmp_path: Path
) -> None:
    before = _count(built, INCREMENTAL_MODEL)
    grown = _grow_by_one_day(built.data_dir, tmp_path)
    built.load(grown, files=NEW_DAY_FILES)
    assert built.dbt("build", "--select", "staging", "data_quality")
    assert built.dbt("run", "--select", *MARTS_SELECTED)
    assert _count(built, INCREMENTAL_MODEL) > before, "the new day was not staged"

    compared = [
        name
        for name in sorted(warehouse.model_relations(built.target_path))
        if name.startswith("stg_") or name in AUDIT_MODELS + INCREMENTAL_MARTS
    ]
    incremental = _snapshot(built, compared)
    assert built.dbt("build", "--select", "staging", "data_quality", "--full-refresh")
    assert built.dbt("run", "--select", *MARTS_SELECTED, "--full-refresh")
    refreshed = _snapshot(built, compared)

    differing = [name for name in compared if incremental[name] != refreshed[name]]
    assert differing == [], "incremental and full-refresh results differ"
