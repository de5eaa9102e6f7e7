"""The sample builds, every raw row is accounted for, and the mess the
sample carries is caught where it should be."""

from __future__ import annotations

from conftest import BuiltWarehouse

from cdp.contract import load_contract


def test_every_raw_table_is_staged_and_reconciled(built: BuiltWarehouse) -> None:
    rows = built.query(
        "select source_name, table_name, raw_rows, staged_rows, rejected_rows,"
        " duplicate_rows, is_reconciled"
        f" from {built.relation('rpt_source_reconciliation')}"
    )
    reported = {(row[0], row[1]) for row in rows}
    contract = {
        (source, table)
        for source, spec in load_contract().items()
        for table in spec.tables
    }
    assert reported == contract, "every raw table of the contract is staged"
    unreconciled = [row for row in rows if not row[-1]]
    assert unreconciled == []
    assert all(row[2] > 0 for row in rows), "the sample fills every raw table"


def test_unusable_rows_are_rejected_with_a_reason(built: BuiltWarehouse) -> None:
    reasons = dict(
        built.query(
            "select reject_reason, count(*)"
            f" from {built.relation('fct_rejected_rows')}"
            " group by reject_reason"
        )
    )
    assert set(reasons) == {"missing_key", "invalid_timestamp", "invalid_amount"}


def test_repeated_landings_are_removed(built: BuiltWarehouse) -> None:
    (duplicates,) = built.query(
        "select sum(duplicate_rows)"
        f" from {built.relation('rpt_source_reconciliation')}"
        " where source_name = 'tracking'"
    )[0]
    assert duplicates > 0
