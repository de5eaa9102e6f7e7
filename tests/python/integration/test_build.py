"""The sample builds, every raw row is accounted for, the mess the sample
carries is caught where it should be, and erased people are gone from
every mart."""

from __future__ import annotations

import hashlib
from typing import NamedTuple

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


# Where each staged source keeps names, and the identifier type of its key.
_NAMED_RECORDS = (
    ("stg_crm__contacts", "contact_id", "crm_contact_id"),
    ("stg_crm__leads", "lead_id", "crm_lead_id"),
    ("stg_esp__subscribers", "subscriber_id", "esp_subscriber_id"),
    ("stg_shop__customers", "customer_id", "shop_customer_id"),
    ("stg_offline__loyalty_members", "loyalty_id", "loyalty_id"),
    ("stg_tracking__identifies", "user_id", "shop_customer_id"),
)


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class ErasedPeople(NamedTuple):
    """What the sample's erased people can be found by."""

    emails: set[str]
    phones: set[str]
    ids: set[tuple[str, str]]
    names: set[tuple[str, str]]
    namesakes: set[str]


def _erased_people(built: BuiltWarehouse) -> ErasedPeople:
    """Emails, phones, ids (identifier type, value) and (first, last) names
    of everyone a verified or completed deletion request names, found from
    the staged requests and the identity registry, independently of the
    erasure models; and the profiles of people who are not erased but share
    such a name."""
    requests = built.query(
        "select email, phone, coalesce(customer_id, user_id)"
        f" from {built.relation('stg_privacy__requests')}"
        " where request_type = 'deletion'"
        " and status in ('verified', 'completed')"
    )
    named = set()
    for email, phone, customer_id in requests:
        named |= {
            f"email:{email}" if email else None,
            f"phone:{phone}" if phone else None,
            f"shop_customer_id:{customer_id}" if customer_id else None,
        }
    registry = built.query(
        "select node, identifier_type, identifier_value, profile_id"
        f" from {built.relation('int_identity__profile_registry')}"
    )
    profile_of = {row[0]: row[3] for row in registry}
    profiles = {row[3] for row in registry if row[0] in named}
    identifiers = {(row[1], row[2]) for row in registry if row[3] in profiles}
    emails = {value for kind, value in identifiers if kind == "email"}
    emails |= {email for email, _, _ in requests if email}
    phones = {value for kind, value in identifiers if kind == "phone"}
    phones |= {phone for _, phone, _ in requests if phone}
    ids = {
        (kind, value) for kind, value in identifiers if kind not in ("email", "phone")
    }
    names: set[tuple[str, str]] = set()
    others: dict[tuple[str, str], set[str]] = {}
    for model, key, kind in _NAMED_RECORDS:
        rows = built.query(
            f"select {key}, email, first_name, last_name"
            f" from {built.relation(model)}"
            " where first_name is not null and last_name is not null"
        )
        for record_key, email, first, last in rows:
            if (kind, record_key) in identifiers or email in emails:
                names.add((first, last))
            else:
                profile = profile_of.get(f"{kind}:{record_key}")
                others.setdefault((first, last), set()).add(profile)
    namesakes = {
        profile
        for name in names
        for profile in others.get(name, set())
        if profile is not None
    }
    return ErasedPeople(emails, phones, ids, names, namesakes)


def _mart_text_columns(built: BuiltWarehouse) -> dict[str, list[str]]:
    """Every text column of every table in the marts schema."""
    schema = built.relation("dim_profile_consent").split(".")[0]
    rows = built.query(
        "select table_name, column_name, data_type"
        " from information_schema.columns"
        f" where table_schema = {_literal(schema)}"
    )
    columns: dict[str, list[str]] = {}
    for table, column, data_type in rows:
        if data_type.lower() in ("varchar", "text", "character varying"):
            columns.setdefault(f"{schema}.{table}", []).append(column)
    return columns


def test_erased_people_appear_in_no_mart(built: BuiltWarehouse) -> None:
    """Emails and phones must appear nowhere. A name is searched as a first
    and a last name in one row (or written in full); the sample has
    namesakes, so a row of a namesake's profile does not count."""
    emails, phones, _, names, namesakes = _erased_people(built)
    assert emails and phones and names, "the sample holds erased people"
    others = ", ".join(_literal(profile) for profile in sorted(namesakes))
    found = []
    for table, columns in sorted(_mart_text_columns(built).items()):
        texts = [f"lower(cast({column} as varchar))" for column in columns]
        conditions = [
            f"{text} like {_literal('%' + value.lower() + '%')}"
            for text in texts
            for value in sorted(emails | phones)
        ]
        not_namesake = (
            f" and (profile_id is null or profile_id not in ({others}))"
            if "profile_id" in columns and others
            else ""
        )
        for first, last in sorted(names):
            has_first = " or ".join(f"{t} = {_literal(first.lower())}" for t in texts)
            has_last = " or ".join(f"{t} = {_literal(last.lower())}" for t in texts)
            full = _literal(f"%{first} {last}%".lower())
            has_full = " or ".join(f"{text} like {full}" for text in texts)
            conditions.append(
                f"((({has_first}) and ({has_last})) or {has_full}){not_namesake}"
            )
        (count,) = built.query(
            f"select count(*) from {table} where {' or '.join(conditions)}"
        )[0]
        if count:
            found.append((table, count))
    assert found == [], f"marts holding an erased person's data: {found}"


def test_erased_people_leave_tombstones(built: BuiltWarehouse) -> None:
    emails = _erased_people(built).emails
    tombstones = built.query(
        "select identifier_type, identifier_sha256"
        f" from {built.relation('dim_erasure_tombstones')}"
    )
    hashed = {value for kind, value in tombstones if kind == "email"}
    assert {hashlib.sha256(email.encode()).hexdigest() for email in emails} <= hashed


# Calling codes of countries whose national numbers begin with a trunk 0.
_TRUNK_ZERO_CODES = ("+31", "+32", "+33", "+44", "+49")


def _national_format(phone: str) -> str:
    """An E.164 phone of a _TRUNK_ZERO_CODES country as written at home:
    +33735687556 -> 07 35 68 75 56."""
    digits = "0" + phone[3:]
    return " ".join(digits[start : start + 2] for start in range(0, len(digits), 2))


def test_rejected_rows_naming_erased_people_are_redacted(
    built_copy: BuiltWarehouse,
) -> None:
    """Raw rows that staging rejects and that name an erased person only by
    an id, by a phone written the national way or by an upper-case email
    are redacted in fct_rejected_rows, key included, as each warehouse
    writes raw rows to JSON. Rows holding an id that merely contains an
    erased one, or a phone one digit away, keep their content."""
    built = built_copy
    erased = _erased_people(built)
    ids = sorted(value for _, value in erased.ids)
    phones = sorted(p for p in erased.phones if p.startswith(_TRUNK_ZERO_CODES))
    assert ids and phones, "the sample holds erased ids and phones"
    phone = phones[0]
    neighbour = phone[:-1] + str((int(phone[-1]) + 1) % 10)
    # loyalty_id, email, phone, redacted?; a bad updated_at or an empty
    # loyalty_id makes staging reject each row.
    landed = [(value, None, None, True) for value in ids]
    landed += [(value + "0", None, None, False) for value in ids]
    landed += [
        ("", None, _national_format(phone), True),
        ("", None, _national_format(neighbour), False),
        ("", min(erased.emails).upper(), None, True),
    ]
    values = ", ".join(
        f"({_literal(loyalty_id)}, {_literal(email) if email else 'null'},"
        f" {_literal(written) if written else 'null'}, 'not a date',"
        f" '2031-01-01T00:{number // 60:02d}:{number % 60:02d}Z')"
        for number, (loyalty_id, email, written, _) in enumerate(landed)
    )
    built.query(
        "insert into raw_offline.loyalty_members"
        " (loyalty_id, email, phone, updated_at, _loaded_at)"
        f" values {values} returning loyalty_id"
    )
    # The views of a DuckDB copy still name the original file: they are
    # made again with the model.
    upstream_views = "+fct_rejected_rows,config.materialized:view"
    assert built.dbt("run", "--select", upstream_views, "fct_rejected_rows")
    rows = built.query(
        "select natural_key, raw_row"
        f" from {built.relation('fct_rejected_rows')}"
        " where table_name = 'loyalty_members'"
        " and loaded_at >= cast('2031-01-01' as timestamp)"
        " order by loaded_at"
    )
    assert len(rows) == len(landed)
    redacted = '{"redacted": "erased person"}'
    for (natural_key, raw_row), (loyalty_id, email, written, is_erased) in zip(
        rows, landed, strict=True
    ):
        naming = loyalty_id or written or email
        if is_erased:
            assert (natural_key, raw_row) == (None, redacted), naming
        else:
            assert naming in raw_row, f"{naming} must stay in {raw_row}"
