"""Says what `make build` built: rows per layer, whether every raw row is
accounted for, where the warehouse is and how to query it.

    python -m cdp.summary [--target duckdb|postgres] [--target-path DIR]
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict

from cdp import warehouse
from cdp.contract import raw_relations

LAYER_ORDER = ["raw", "staging", "intermediate", "marts"]


Models = dict[str, dict]


def layer_counts(target: str, models: Models) -> dict[str, tuple[int, int]]:
    """Per layer: (relations, rows). Raw tables come from the contract."""
    relations: dict[str, list[str]] = defaultdict(list)
    relations["raw"] = raw_relations()
    for node in models.values():
        # Test graphs are built by the tests, not by `make build`.
        if "fixture" not in node["tags"]:
            relations[node["layer"]].append(node["relation"])
    counts = {}
    with warehouse.connect(target) as connection:
        cursor = connection.cursor()
        for layer, names in relations.items():
            total = 0
            for name in names:
                cursor.execute(f"select count(*) from {name}")
                total += cursor.fetchone()[0]
            counts[layer] = (len(names), total)
    return counts


def reconciliation(target: str, models: Models) -> tuple[int, int, int]:
    """(tables, tables that add up, rejected rows) from the audit report."""
    relation = models["rpt_source_reconciliation"]
    rows = warehouse.query(
        target,
        None,
        "select count(*),"
        " sum(case when is_reconciled then 1 else 0 end),"
        " sum(rejected_rows)"
        f" from {relation['relation']}",
    )
    tables, reconciled, rejected = rows[0]
    return int(tables), int(reconciled or 0), int(rejected or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=os.environ.get("CDP_TARGET", "duckdb"))
    parser.add_argument(
        "--target-path",
        default=os.environ.get("DBT_TARGET_PATH", "target"),
        help="dbt's artifact folder of the build (holds manifest.json)",
    )
    args = parser.parse_args()
    relations = warehouse.model_relations(args.target_path)
    counts = layer_counts(args.target, relations)
    tables, reconciled, rejected = reconciliation(args.target, relations)
    print(f"\nBuilt the CDP on {args.target}:")
    ordered = sorted(counts, key=lambda name: [*LAYER_ORDER, name].index(name))
    for layer in ordered:
        number, rows = counts[layer]
        print(f"  {layer:<13}{number:>4} relations {rows:>14,} rows")
    print(
        f"  {reconciled} of {tables} raw tables reconcile "
        f"(raw = staged + rejected + duplicates); {rejected:,} rows rejected, "
        f"see {relations['fct_rejected_rows']['relation']}"
    )
    report = relations["rpt_source_reconciliation"]["relation"]
    if args.target == "duckdb":
        path = warehouse.duckdb_path()
        print(f"Warehouse file: {path}")
        print(
            'Query it: .venv/bin/python -c "import duckdb; duckdb.connect('
            f"'{path}', read_only=True).sql('select * from {report}').show()\""
        )
    else:
        params = warehouse.postgres_params()
        print(
            f"Warehouse: postgres://{params['user']}@{params['host']}:"
            f"{params['port']}/{params['dbname']}"
        )
        print(
            f"Query it: psql -h {params['host']} -p {params['port']} "
            f"-U {params['user']} {params['dbname']} "
            f"-c 'select * from {report}'"
        )


if __name__ == "__main__":
    main()
