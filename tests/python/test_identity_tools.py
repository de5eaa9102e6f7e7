"""`cdp identity explain` and `cdp identity diff` on small purpose-built
identity tables in a throw-away DuckDB file (the tables dbt builds, with
only the columns the tools read)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cdp import cli, identity_tools, warehouse

PG_DATABASE = "cdp_pytest_identity_tools"

# node_a, node_b, sources, first_seen_at, rule_name, rule_detail, is_linked
KEPT = (None, None, True)
EDGES = [
    # Cluster k1: c1 reaches l1 in three hops through email a and phone p,
    # and in two through email x: the shortest path is the one to print.
    ("crm_contact_id:c1", "email:a@x.com", "crm_contacts", "2026-01-01", *KEPT),
    ("email:a@x.com", "phone:+1555", "shop_orders", "2026-01-02", *KEPT),
    ("loyalty_id:l1", "phone:+1555", "offline_loyalty_members", "2026-01-03", *KEPT),
    ("crm_contact_id:c1", "email:x@x.com", "crm_contacts", "2026-01-04", *KEPT),
    ("email:x@x.com", "loyalty_id:l1", None, None, "force_link", "same person", True),
    # An office phone on two contacts: the later edge was cut by the limit.
    ("crm_contact_id:c2", "phone:+1999", "crm_contacts", "2026-02-01", *KEPT),
    ("crm_contact_id:c3", "phone:+1999", "crm_contacts", "2026-02-02",
     "max_per_profile", "phone:+1999 is shared", False),
    # A do-not-link pair.
    ("email:d@x.com", "shop_customer_id:s9", "shop_customers", "2026-03-01",
     "do_not_link", "two people", False),
    # Two contacts through a shared email: kept here, cut by the chain split.
    ("crm_contact_id:c4", "email:f@x.com", "crm_contacts", "2026-05-01", *KEPT),
    ("crm_contact_id:c5", "email:f@x.com", "crm_contacts", "2026-05-02", *KEPT),
]  # fmt: skip

# node_a, node_b, rule_name, rule_detail
LIMIT_CUTS = [
    ("crm_contact_id:c5", "email:f@x.com", "max_per_profile_chain",
     "k9 held 2 identifiers of type crm_contact_id"),
]  # fmt: skip

# node, component_id
CLUSTERS = [
    ("crm_contact_id:c1", "k1"),
    ("email:a@x.com", "k1"),
    ("phone:+1555", "k1"),
    ("loyalty_id:l1", "k1"),
    ("email:x@x.com", "k1"),
    ("crm_contact_id:c2", "k2"),
    ("phone:+1999", "k2"),
    ("crm_contact_id:c3", "k3"),
    ("email:d@x.com", "k4"),
    ("shop_customer_id:s9", "k5"),
    ("shop_customer_id:s1", "k6"),
    ("shop_customer_id:s2", "k7"),
    ("email:lonely@x.com", "k8"),
    ("crm_contact_id:c4", "k9"),
    ("email:f@x.com", "k9"),
    ("crm_contact_id:c5", "k10"),
]

# source_name, source_record_id, node, first_seen_at, is_blocked,
# blocked rule (type, match, value), is_record_anchor
IDENTIFIERS = [
    ("shop_orders", "o1", "shop_customer_id:s1", "2026-04-01", False, None, True),
    ("shop_orders", "o1", "email:test@test.com", "2026-04-01", True,
     ("email", "exact", "test@test.com"), False),
    ("shop_orders", "o2", "shop_customer_id:s2", "2026-04-02", False, None, True),
    ("shop_orders", "o2", "email:test@test.com", "2026-04-02", True,
     ("email", "exact", "test@test.com"), False),
    ("crm_contacts", "c1", "crm_contact_id:c1", "2026-01-01", False, None, True),
]  # fmt: skip


PROFILES = {node: "prf_" + component for node, component in CLUSTERS}

TABLES = {
    "main_intermediate.int_identity__edges_ruled": "node_a text, node_b text,"
    " sources text, first_seen_at timestamp, rule_name text, rule_detail text,"
    " is_linked boolean",
    "main_intermediate.int_identity__clusters": "node text, component_id text",
    "main_intermediate.int_identity__identifiers": "source_name text,"
    " source_record_id text, node text, first_seen_at timestamp, is_blocked"
    " boolean, blocked_rule_identifier_type text, blocked_rule_match_type text,"
    " blocked_rule_value text, is_record_anchor boolean",
    "main_intermediate.int_identity__limit_cuts": "node_a text, node_b text,"
    " rule_name text, rule_detail text",
    "main_marts.dim_profile_identifiers": "identifier_id text, profile_id text",
    "main_marts.fct_identity_rule_hits": "rule_name text",
    "main_intermediate.int_identity__clusters_over_limit": "component_id text,"
    " identifier_type text, max_per_profile integer, identifier_count bigint",
}


def _write_tables(
    cursor: Any, marker: str, profiles: dict[str, str], hits: list[str]
) -> None:
    """Creates the identity tables the tools read, with the graph above."""
    rows = {
        "main_intermediate.int_identity__edges_ruled": EDGES,
        "main_intermediate.int_identity__clusters": CLUSTERS,
        "main_intermediate.int_identity__identifiers": [
            (source, record, node, seen, blocked, *(rule or (None,) * 3), anchor)
            for source, record, node, seen, blocked, rule, anchor in IDENTIFIERS
        ],
        "main_intermediate.int_identity__limit_cuts": LIMIT_CUTS,
        "main_marts.dim_profile_identifiers": list(profiles.items()),
        "main_marts.fct_identity_rule_hits": [(hit,) for hit in hits],
        # Cluster k1 listed as over a limit, as the model would list it.
        "main_intermediate.int_identity__clusters_over_limit": [("k1", "email", 1, 2)],
    }
    cursor.execute("create schema main_intermediate")
    cursor.execute("create schema main_marts")
    for table, columns in TABLES.items():
        cursor.execute(f"create table {table} ({columns})")
        for row in rows[table]:
            markers = ", ".join([marker] * len(row))
            cursor.execute(f"insert into {table} values ({markers})", list(row))


def _identity_file(path: Path, profiles: dict[str, str], hits: list[str]) -> str:
    connection = duckdb.connect(str(path))
    _write_tables(connection.cursor(), "?", profiles, hits)
    connection.close()
    return f"duckdb:{path}"


def _identity_postgres(profiles: dict[str, str]) -> str:
    warehouse.recreate_postgres_database(PG_DATABASE)
    with warehouse.connect(
        "postgres", {"PGDATABASE": PG_DATABASE}, read_only=False
    ) as connection:
        _write_tables(connection.cursor(), "%s", profiles, [])
    return f"postgres:{PG_DATABASE}"


@pytest.fixture(scope="module")
def postgres_graph() -> Iterator[str]:
    """The graph above in a throw-away Postgres database, once per module."""
    problem = warehouse.postgres_problem()
    if problem:
        pytest.skip(f"no PostgreSQL server: {problem}")
    try:
        yield _identity_postgres(PROFILES)
    finally:
        warehouse.drop_postgres_database(PG_DATABASE)


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def graph(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The graph above in a DuckDB file, and in Postgres when a server
    answers."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_graph")
    return _identity_file(tmp_path / "graph.duckdb", PROFILES, [])


def _explain(
    spec: str, first: str, second: str, **kwargs
) -> identity_tools.Explanation:
    with identity_tools.Warehouse.from_spec(spec) as wh:
        return identity_tools.explain(wh, first, second, **kwargs)


def test_explain_prints_the_shortest_kept_path(graph: str) -> None:
    result = _explain(graph, "crm_contact_id:c1", "loyalty_id:l1")
    assert result.linked
    assert [(hop.start, hop.end) for hop in result.path] == [
        ("crm_contact_id:c1", "email:x@x.com"),
        ("email:x@x.com", "loyalty_id:l1"),
    ]
    assert result.path[1].rule_name == "force_link"
    assert result.profiles["crm_contact_id:c1"] == "prf_k1"
    text = result.render()
    assert "are linked in profile prf_k1: 2 hop(s)" in text
    assert "sources: crm_contacts; first seen: 2026-01-04" in text
    assert "kept: force_link (same person)" in text
    assert (
        "Warning: this cluster holds 2 identifiers of type email, more than "
        "its max_per_profile of 1"
    ) in text
    other_cluster = _explain(graph, "crm_contact_id:c2", "phone:+1999").render()
    assert "Warning" not in other_cluster


def test_explain_walks_edges_in_either_direction(graph: str) -> None:
    result = _explain(graph, "phone:+1555", "crm_contact_id:c1")
    assert result.linked
    assert [hop.end for hop in result.path] == ["email:a@x.com", "crm_contact_id:c1"]


def test_explain_names_the_limit_that_cut_a_shared_phone(graph: str) -> None:
    result = _explain(graph, "crm_contact_id:c2", "crm_contact_id:c3")
    assert not result.linked
    assert [hop.is_linked for hop in result.path] == [True, False]
    assert "separated by: max_per_profile (phone:+1999 is shared)" in result.render()


def test_explain_names_the_chain_split_that_parted_two_contacts(graph: str) -> None:
    result = _explain(graph, "crm_contact_id:c4", "crm_contact_id:c5")
    assert not result.linked
    assert [hop.is_linked for hop in result.path] == [True, False]
    assert "CUT by max_per_profile_chain" in result.render()
    assert "separated by: max_per_profile_chain (k9 held 2" in result.render()
    # The email stayed with c4: no kept path leads from it to c5.
    assert not _explain(graph, "email:f@x.com", "crm_contact_id:c5").linked


def test_explain_names_a_do_not_link_pair(graph: str) -> None:
    result = _explain(graph, "shop_customer_id:s9", "email:d@x.com")
    assert not result.linked
    assert "separated by: do_not_link (two people)" in result.render()


def test_explain_finds_records_joined_only_by_a_blocked_value(graph: str) -> None:
    result = _explain(graph, "shop_customer_id:s1", "shop_customer_id:s2")
    assert not result.linked
    assert [hop.end for hop in result.path] == [
        "email:test@test.com",
        "shop_customer_id:s2",
    ]
    assert "blocked_value (email|exact|test@test.com)" in result.render()


def test_explain_says_when_nothing_joins_them(graph: str) -> None:
    result = _explain(graph, "email:lonely@x.com", "crm_contact_id:c1")
    assert not result.linked and not result.path
    assert "No path joins them, even before the rules." in result.render()
    unknown = _explain(graph, "email:nobody@x.com", "crm_contact_id:c1")
    assert "email:nobody@x.com was never observed" in unknown.render()
    blocked = _explain(graph, "email:test@test.com", "crm_contact_id:c1")
    assert "blocked by identity_blocked_values rule email|exact|test@test.com" in (
        blocked.render()
    )


def test_explain_search_limit_stops_the_search(graph: str) -> None:
    result = _explain(graph, "shop_customer_id:s1", "email:lonely@x.com", limit=1)
    assert "stopped" in result.render()


def test_explain_rejects_an_identifier_without_type(graph: str) -> None:
    with pytest.raises(identity_tools.IdentityToolError, match="<type>:<value>"):
        _explain(graph, "ann@example.org", "crm_contact_id:c1")


def test_diff_reports_merges_splits_and_new_profiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = {
        "a": "P1", "b": "P1", "c": "P2",            # merged in head
        "d": "P3", "e": "P3", "f": "P3",            # split in head
        "g": "P4",                                  # gains an identifier
        "h": "P5",                                  # gone (blocked)
        "k": "P6", "l": "P6",                       # unchanged, renamed
        "m": "P7", "n": "P7", "o": "P8",            # reshuffled
    }  # fmt: skip
    head = {
        "a": "Q1", "b": "Q1", "c": "Q1",
        "d": "P3", "e": "P3", "f": "Q2",
        "g": "P4", "i": "P4",
        "j": "Q3",                                  # only new identifiers
        "k": "Q6", "l": "Q6",
        "m": "Q7", "o": "Q7", "n": "Q8",
    }  # fmt: skip
    base_spec = _identity_file(tmp_path / "base.duckdb", base, ["blocked_value"])
    head_spec = _identity_file(
        tmp_path / "head.duckdb", head, ["blocked_value", "max_per_profile"]
    )
    with (
        identity_tools.Warehouse.from_spec(base_spec) as base_wh,
        identity_tools.Warehouse.from_spec(head_spec) as head_wh,
    ):
        result = identity_tools.diff(base_wh, head_wh)
    assert result.counts() == {
        "merged": 1,
        "split": 1,
        "changed": 1,
        "removed": 1,
        "created": 1,
        "unchanged": 1,
        "reshuffled": 1,
    }
    largest = result.changed(top=3)
    assert [(group.kind, group.size) for group in largest] == [
        ("merged", 3),
        ("split", 3),
        ("reshuffled", 3),
    ]
    assert largest[0].base == {"P1": 2, "P2": 1}
    assert largest[0].head == {"Q1": 3}
    assert result.rule_hits == [("blocked_value", 1, 1), ("max_per_profile", 0, 1)]

    assert cli.main(["identity", "diff", "--base", base_spec, "--head", head_spec,
                     "--markdown", "--top", "2"]) == 0  # fmt: skip
    markdown = capsys.readouterr().out
    assert "| merged | 1 head profiles from 2 base profiles |" in markdown
    assert "| split | 1 base profiles into 2 head profiles |" in markdown
    assert "| merged | 3 | P1 (2), P2 (1) | Q1 (3) |" in markdown
    assert "| max_per_profile | 0 | 1 |" in markdown


def test_cli_explain_and_bad_specs(
    graph: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["identity", "explain", "crm_contact_id:c2", "phone:+1999",
                     "--warehouse", graph]) == 0  # fmt: skip
    assert "are linked in profile prf_k2: 1 hop(s)" in capsys.readouterr().out
    missing = f"duckdb:{tmp_path / 'missing.duckdb'}"
    assert cli.main(["identity", "diff", "--base", missing, "--head", graph]) == 1
    assert "no DuckDB file" in capsys.readouterr().err
    assert cli.main(["identity", "diff", "--base", "warehouse", "--head", graph]) == 1
    assert "is not a warehouse" in capsys.readouterr().err


def test_schema_prefix_picks_the_build(graph: str, tmp_path: Path) -> None:
    assert _explain(graph + "@main", "crm_contact_id:c2", "phone:+1999").linked
    with pytest.raises(identity_tools.IdentityToolError, match="found in no schema"):
        _explain(graph + "@other", "crm_contact_id:c2", "phone:+1999")
    folder = tmp_path / "a@b"
    folder.mkdir()
    spec = _identity_file(folder / "graph.duckdb", {"a": "p"}, [])
    assert identity_tools.Warehouse.from_spec(spec).schema_prefix is None
