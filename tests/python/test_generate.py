"""The generator: deterministic, shaped by the contract, and as messy as the
staging layer expects.

The data is generated once per module (a few hundred people) and read back
with DuckDB. Because the generator is deterministic, the counts asserted
here are stable for the seeds used.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from cdp import generate
from cdp.contract import landing_specs
from cdp.synth import tcf

PROFILES = 1200
SEED = 7
# Three chunks, so that chunking is exercised by every test.
CHUNK = 480


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _generate(out: Path, **options: object) -> Path:
    generate.generate(
        out, **{"profiles": PROFILES, "seed": SEED, "progress": False, **options}
    )
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("gen") / "data", chunk_size=CHUNK)


@pytest.fixture(scope="module")
def db(data: Path) -> duckdb.DuckDBPyConnection:
    """The generated files as DuckDB views named <source>_<table>."""
    connection = duckdb.connect()
    for spec in landing_specs():
        for table in spec.tables:
            files = sorted((data / spec.name / table).glob("*.csv"))
            connection.execute(
                f"create view {spec.name}_{table} as select * from read_csv("
                f"{[str(f) for f in files]}, header = true, all_varchar = true, "
                "allow_quoted_nulls = false)"
            )
    return connection


def _one(db: duckdb.DuckDBPyConnection, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def test_same_seed_gives_identical_files(data: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path / "again", chunk_size=CHUNK)
    assert _hashes(again) == _hashes(data)


def test_another_seed_gives_other_data(data: Path, tmp_path: Path) -> None:
    other = _generate(tmp_path / "other", seed=SEED + 1, profiles=120, days=30)
    page = "tracking/pages/part-00000.csv"
    ours = (data / page).read_text().splitlines()[1:50]
    theirs = (other / page).read_text().splitlines()[1:50]
    assert ours and theirs and set(ours).isdisjoint(theirs)


def test_rows_do_not_depend_on_the_chunk_size(data: Path, tmp_path: Path) -> None:
    whole = _generate(tmp_path / "whole")
    for spec in landing_specs():
        for table in spec.tables:

            def rows(folder: Path, table: str = f"{spec.name}/{table}") -> list[str]:
                lines = []
                for path in sorted((folder / table).glob("*.csv")):
                    lines += path.read_text().splitlines()[1:]
                return lines

            assert rows(whole) == rows(data), f"{spec.name}.{table}"
    assert len(list((data / "tracking" / "pages").glob("*.csv"))) == 3


def test_every_contract_table_is_written_with_its_columns_in_order(data: Path) -> None:
    for spec in landing_specs():
        for table, columns in spec.tables.items():
            files = sorted((data / spec.name / table).glob("*.csv"))
            assert files, f"{spec.name}.{table} has files"
            for path in files:
                header = path.read_text().split("\n", 1)[0]
                assert header.split(",") == columns, path


def test_the_manifest_counts_the_rows_written(
    data: Path, db: duckdb.DuckDBPyConnection
) -> None:
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["seed"] == SEED
    assert manifest["profiles"] == PROFILES
    assert manifest["start_date"] == "2025-12-01"
    assert manifest["days_generated"] == 365
    for name, rows in manifest["row_counts"].items():
        view = name.replace(".", "_")
        assert _one(db, f"select count(*) from {view}") == rows, name
        assert rows > 0, f"{name} has rows"


def test_event_ids_land_more_than_once(db: duckdb.DuckDBPyConnection) -> None:
    for view, key in [("tracking_pages", "id"), ("esp_sends", "event_id")]:
        repeated = _one(
            db,
            f"select count(*) from (select {key} from {view} where {key} <> '' "
            f"group by {key} having count(*) > 1)",
        )
        assert repeated > 0, view
    # Some repeats are identical rows, others carry a later load time.
    later = _one(
        db,
        "select count(*) from (select id from tracking_pages group by id "
        "having count(distinct received_at) > 1)",
    )
    assert later > 0


def test_records_have_several_versions(db: duckdb.DuckDBPyConnection) -> None:
    for view, key in [
        ("crm_contacts", "contact_id"),
        ("esp_subscribers", "subscriber_id"),
        ("shop_orders", "order_id"),
    ]:
        versions = _one(
            db,
            f"select count(*) from (select {key} from {view} group by {key} "
            "having count(distinct updated_at) > 1)",
        )
        assert versions > 0, view


def test_required_keys_are_sometimes_missing(db: duckdb.DuckDBPyConnection) -> None:
    keys = (
        "select id as k from tracking_pages union all select id from tracking_tracks "
        "union all select event_id from esp_sends union all select event_id "
        "from esp_opens union all select activity_id from crm_activities"
    )
    assert _one(db, f"select count(*) from ({keys}) where k = ''") > 0
    assert _one(db, f"select count(*) from ({keys}) where k is null") > 0


def test_timestamps_are_sometimes_unreadable_or_offset(
    db: duckdb.DuckDBPyConnection,
) -> None:
    stamps = [
        row[0]
        for row in db.execute(
            "select sent_at from esp_sends union all select updated_at "
            "from crm_contacts union all select ordered_at from shop_orders"
        ).fetchall()
    ]
    assert "not a date" in stamps
    assert any(stamp and stamp[2] == "/" for stamp in stamps)  # 31/12/2026
    assert any(stamp and "-02-30" in stamp for stamp in stamps)
    assert any(
        stamp and re.search(r"T\d\d:\d\d:\d\d[+-]\d\d:00$", stamp) for stamp in stamps
    )
    assert any(stamp and stamp.endswith("Z") for stamp in stamps)
    assert any(stamp and re.fullmatch(r"[\d-]+ [\d:]+", stamp) for stamp in stamps)


def test_amounts_need_cleanup_or_cannot_be_read(db: duckdb.DuckDBPyConnection) -> None:
    amounts = {
        row[0]
        for row in db.execute(
            "select total_amount from shop_orders union all "
            "select amount from offline_store_transactions union all "
            "select amount from crm_opportunities"
        ).fetchall()
    }
    assert {"12,3,4", "abc"} <= amounts
    assert any(a and a[0] in "$€£" for a in amounts)  # "$1,234.50", "€63.01"
    assert any(a and a != a.strip() for a in amounts)


def test_emails_carry_case_space_junk_and_invalid_values(
    db: duckdb.DuckDBPyConnection,
) -> None:
    emails = [
        row[0]
        for row in db.execute(
            "select email from shop_customers union all select email from "
            "esp_subscribers union all select email from crm_contacts union all "
            "select email from shop_orders"
        ).fetchall()
        if row[0]
    ]
    assert any(e != e.lower() and "@" in e for e in emails)
    assert any(e != e.strip() for e in emails)
    assert {"test@test.com", "unknown", "none@none.com", "n/a"} & set(emails)
    assert any(e.endswith("@") for e in emails)


def test_phones_and_countries_come_in_many_shapes(
    db: duckdb.DuckDBPyConnection,
) -> None:
    phones = [
        row[0]
        for row in db.execute(
            "select phone from crm_contacts union all select phone from "
            "shop_customers union all select phone from offline_loyalty_members"
        ).fetchall()
        if row[0]
    ]
    assert any(p.startswith("+") for p in phones)
    assert any(p.startswith("00") for p in phones)
    assert any(p.startswith("(") for p in phones)  # (415) 555-0134
    assert any("(0)" in p for p in phones)  # +49 (0)30 ...
    assert {"12", "n/a", "0000000000"} & set(phones)
    countries = {
        row[0] for row in db.execute("select country from shop_customers").fetchall()
    }
    assert {"US", "DE"} <= countries
    assert countries & {"United States", "USA", "us", "Deutschland", "Germany", "de"}


def test_tracking_events_arrive_late_or_from_the_future(
    db: duckdb.DuckDBPyConnection,
) -> None:
    late = _one(
        db,
        'select count(*) from tracking_pages where try_cast("timestamp" as '
        "timestamptz) < cast(received_at as timestamptz) - interval 1 day",
    )
    future = _one(
        db,
        'select count(*) from tracking_pages where try_cast("timestamp" as '
        "timestamptz) > cast(received_at as timestamptz) + interval 1 hour",
    )
    assert late > 0 and future > 0


def test_email_lifecycle_events_are_present(db: duckdb.DuckDBPyConnection) -> None:
    assert _one(db, "select count(*) from esp_bounces where bounce_type = 'hard'") > 0
    assert _one(db, "select count(*) from esp_bounces where bounce_type = 'soft'") > 0
    assert _one(db, "select count(*) from esp_unsubscribes") > 0
    assert _one(db, "select count(*) from esp_complaints") > 0


def test_consent_strings_match_the_consent_mode_fields(
    db: duckdb.DuckDBPyConnection,
) -> None:
    rows = db.execute(
        "select tcf_string, ad_personalization, analytics_storage "
        "from consent_consent_events where tcf_string is not null"
    ).fetchall()
    assert rows
    for tc_string, personalization, analytics in rows:
        purposes = tcf.consented_purposes(tc_string)
        assert (personalization == "granted") == (4 in purposes)
        assert (analytics == "granted") == (8 in purposes)
    gpc = _one(
        db,
        "select count(*) from consent_consent_events where lower(gpc) in "
        "('true', '1') and country = 'US'",
    )
    assert gpc > 0


def test_the_truth_knows_every_identifier_holder(db: duckdb.DuckDBPyConnection) -> None:
    orphans = _one(
        db,
        "select count(*) from (select distinct customer_id from shop_customers "
        "where customer_id <> '') c left join truth_person_identifiers t "
        "on t.identifier_type = 'customer_id' and t.identifier_value = c.customer_id "
        "where t.person_key is null",
    )
    assert orphans == 0
    shared = _one(
        db,
        "select count(*) from (select identifier_value from truth_person_identifiers "
        "where identifier_type = 'email' group by 1 "
        "having count(distinct person_key) > 1)",
    )
    assert shared > 0, "family mailboxes are shared"
    people = _one(db, "select count(distinct person_key) from truth_person_identifiers")
    assert people == PROFILES


@pytest.fixture(scope="module")
def next_day(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("next") / "data"
    shutil.copytree(data, out)
    generate.generate_next_day(out, progress=False)
    return out


def test_next_day_adds_one_day_of_files(next_day: Path, data: Path) -> None:
    manifest = json.loads((next_day / "manifest.json").read_text())
    assert manifest["days_generated"] == 366
    assert manifest["people"] > PROFILES
    day_files = sorted(next_day.glob("*/*/day-0366-*.csv"))
    assert day_files
    for name, rows in manifest["batches"][-1]["row_counts"].items():
        source, table = name.split(".")
        written = sum(
            len(path.read_text().splitlines()) - 1
            for path in (next_day / source / table).glob("day-0366-*.csv")
        )
        assert written == rows, name
    # The initial files are untouched.
    assert {
        k: v
        for k, v in _hashes(next_day).items()
        if "day-0366" not in k and k != "manifest.json"
    } == {k: v for k, v in _hashes(data).items() if k != "manifest.json"}


def test_next_day_is_deterministic(next_day: Path, data: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(data, again)
    generate.generate_next_day(again, progress=False)
    assert _hashes(again) == _hashes(next_day)


def test_next_day_brings_late_repeated_updated_and_new(next_day: Path) -> None:
    connection = duckdb.connect()

    def read(table: str, pattern: str) -> str:
        return (
            f"read_csv('{next_day}/{table}/{pattern}', header = true, "
            "all_varchar = true, allow_quoted_nulls = false)"
        )

    day_start = "timestamptz '2026-12-01 00:00:00+00'"
    late = connection.execute(
        f"select count(*) from {read('esp/sends', 'day-*.csv')} "
        f"where try_cast(sent_at as timestamptz) < {day_start} - interval 2 day"
    ).fetchone()[0]
    assert late > 0, "events of earlier days land late"
    repeated = sum(
        connection.execute(
            f"select count(*) from {read(table, 'day-*.csv')} d "
            f"join {read(table, 'part-*.csv')} p using ({key})"
        ).fetchone()[0]
        for table, key in [
            ("tracking/pages", "id"),
            ("tracking/tracks", "id"),
            ("esp/sends", "event_id"),
            ("esp/opens", "event_id"),
        ]
    )
    assert repeated > 0, "events that already landed are sent again"
    updated = (
        connection.execute(
            f"select count(*) from {read('crm/activities', 'day-*.csv')}"
        ).fetchone()[0]
        + connection.execute(
            f"select count(*) from {read('crm/contacts', 'day-*.csv')} d "
            "join (select distinct contact_id from "
            f"{read('crm/contacts', 'part-*.csv')}) "
            "p using (contact_id)"
        ).fetchone()[0]
    )
    assert updated > 0, "the CRM keeps changing"
    new_people = connection.execute(
        f"select count(distinct person_key) from "
        f"{read('truth/person_identifiers', 'day-*.csv')}"
    ).fetchone()[0]
    assert new_people > 0


def test_next_day_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(generate.GeneratorError, match="run `cdp generate`"):
        generate.generate_next_day(tmp_path / "missing", progress=False)


def test_output_folder_that_is_not_generator_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(generate.GeneratorError, match="does not look like generator"):
        generate.generate(tmp_path, profiles=10, progress=False)
