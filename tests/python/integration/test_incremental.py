"""Nothing is lost: after a new day lands, an incremental build gives
exactly what a full refresh gives, on every staging and audit model and on
the identity graph; and identity keeps every profile id the new day did
not touch, through the incremental run and the full refresh."""

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
IDENTITY_MODELS = ("int_identity__components",)
REBUILT = (
    "staging",
    "data_quality",
    "path:models/intermediate/identity",
    "path:models/marts/identity",
)


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


def _profile_ids(built: BuiltWarehouse) -> dict[str, str]:
    """identifier_id -> profile_id, as dim_profile_identifiers holds them."""
    relation = built.relation("dim_profile_identifiers")
    return dict(built.query(f"select identifier_id, profile_id from {relation}"))


def _scope(built: BuiltWarehouse) -> tuple[set[str], set[bool]]:
    """The nodes the latest run reclustered, and whether it was full."""
    rows = built.query(
        "select node, is_full_recompute from "
        + built.relation("int_identity__clustering_scope")
    )
    return {node for node, _ in rows}, {is_full for _, is_full in rows}


def _merges(built: BuiltWarehouse) -> list[tuple[str, str]]:
    relation = built.relation("fct_profile_merges")
    return sorted(
        built.query(f"select absorbed_profile_id, surviving_profile_id from {relation}")
    )


def _left_profiles(built: BuiltWarehouse) -> set[str]:
    """Every profile id logged as absorbed or split."""
    merges = built.relation("fct_profile_merges")
    splits = built.relation("fct_profile_splits")
    rows = built.query(
        f"select absorbed_profile_id from {merges}"
        f" union select original_profile_id from {splits}"
    )
    return {profile_id for (profile_id,) in rows}


def test_incremental_day_equals_full_refresh(
    built: BuiltWarehouse, tmp_path: Path
) -> None:
    before = _count(built, INCREMENTAL_MODEL)
    ids_before = _profile_ids(built)
    grown = _grow_by_one_day(built.data_dir, tmp_path)
    built.load(grown, files=NEW_DAY_FILES)
    assert built.dbt("build", "--select", *REBUILT)
    assert _count(built, INCREMENTAL_MODEL) > before, "the new day was not staged"

    compared = [
        name
        for name in sorted(warehouse.model_relations(built.target_path))
        if name.startswith("stg_") or name in AUDIT_MODELS + IDENTITY_MODELS
    ]
    incremental = _snapshot(built, compared)
    ids_incremental = _profile_ids(built)
    scope, modes = _scope(built)
    merges_incremental = _merges(built)

    # The new day reached some clusters, not the whole graph.
    assert modes == {False}, "the identity run after a new day was not incremental"
    assert 0 < len(scope) < len(ids_incremental) / 10, (
        f"the new day reclustered {len(scope)} of {len(ids_incremental)} nodes"
    )
    untouched = set(ids_before) - scope
    moved = sorted(i for i in untouched if ids_incremental.get(i) != ids_before[i])
    assert moved == [], "identifiers the new day did not reach changed profile"
    # A touched identifier changes profile only by a logged merge or split.
    left = _left_profiles(built)
    unexplained = sorted(
        identifier
        for identifier, profile_id in ids_before.items()
        if ids_incremental.get(identifier) != profile_id and profile_id not in left
    )
    assert unexplained == [], "profile changes with no merge or split logged"

    assert built.dbt("build", "--select", *REBUILT, "--full-refresh")
    refreshed = _snapshot(built, compared)
    _, modes = _scope(built)
    assert modes == {True}, "--full-refresh did not recluster the whole graph"

    differing = [name for name in compared if incremental[name] != refreshed[name]]
    assert differing == [], "incremental and full-refresh results differ"
    assert _profile_ids(built) == ids_incremental, "--full-refresh moved profile ids"
    merges = _merges(built)
    assert merges == merges_incremental, "--full-refresh logged merges again"
    absorbed = [absorbed_id for absorbed_id, _ in merges]
    assert len(absorbed) == len(set(absorbed)), "a merge was logged twice"
