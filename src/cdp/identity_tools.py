"""Tools for reviewing identity resolution: explain a link, diff two builds.

`cdp identity explain A B` finds the shortest path of kept edges between two
identifiers in int_identity__edges_ruled and prints each hop with its
sources, first sighting and rule. When no kept path exists it searches
again with the edges the rules cut and the blocked values a record shared,
and says which rule separated them. The graph is never loaded whole: the
search widens one frontier at a time with queries for the edges of the
frontier's nodes only.

`cdp identity diff --base B --head H` compares the profiles of two builds
(dim_profile_identifiers): identifiers are matched by value, and base and
head profiles that share identifiers form a group that is unchanged,
created, removed, merged, split, or reshuffled. The largest changed groups
are listed, as text or as Markdown for a pull-request comment.

A warehouse is named by a spec: `duckdb:PATH` (or a path ending in
.duckdb) or `postgres:DATABASE` (server from PGHOST, PGPORT, PGUSER,
PGPASSWORD), each optionally followed by `@SCHEMA_PREFIX` when the
database holds more than one build (e.g. `postgres:cdp@cdp` for the
schemas cdp_intermediate and cdp_marts).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cdp import warehouse

# Nodes per IN list of one frontier query.
BATCH = 500
# Nodes the search with cut edges may visit before it gives up.
DEFAULT_SEARCH_LIMIT = 50_000


class IdentityToolError(Exception):
    """A problem the user can fix: a bad spec, a missing table."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(values: Iterable[str]) -> str:
    return ", ".join(_literal(value) for value in values)


def _batches(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


@dataclass
class Warehouse:
    """One build's warehouse, with its tables found by name."""

    target: str
    env: dict[str, str]
    schema_prefix: str | None = None
    label: str = ""
    _connection: Any = None
    _relations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: str | None) -> Warehouse:
        """Parses `duckdb:PATH`, `PATH.duckdb` or `postgres:DATABASE`, each
        with an optional `@SCHEMA_PREFIX`; None means the warehouse dbt
        builds in (CDP_TARGET, CDP_DUCKDB_PATH, PGDATABASE)."""
        if spec is None:
            target = os.environ.get("CDP_TARGET", "duckdb")
            if target == "duckdb":
                spec = "duckdb:" + str(warehouse.duckdb_path())
            else:
                spec = "postgres:" + warehouse.setting(None, "PGDATABASE", "cdp")
        body, _, prefix = spec.rpartition("@")
        if not body or "/" in prefix or prefix.endswith(".duckdb"):
            # No prefix: the '@' belongs to the path.
            body, prefix = spec, ""
        if body.startswith("postgres:"):
            database = body.removeprefix("postgres:")
            if not database:
                raise IdentityToolError(f"{spec!r}: name the database, postgres:NAME")
            return cls("postgres", {"PGDATABASE": database}, prefix or None, spec)
        path = body.removeprefix("duckdb:")
        if not body.startswith("duckdb:") and not path.endswith(".duckdb"):
            raise IdentityToolError(
                f"{spec!r} is not a warehouse: write duckdb:PATH, a path ending "
                "in .duckdb, or postgres:DATABASE (then @SCHEMA_PREFIX if needed)"
            )
        if not Path(path).is_file():
            raise IdentityToolError(f"{spec!r}: no DuckDB file at {path}")
        return cls(
            "duckdb",
            {"CDP_DUCKDB_PATH": str(Path(path).resolve())},
            prefix or None,
            spec,
        )

    def __enter__(self) -> Warehouse:
        self._context = warehouse.connect(self.target, self.env, read_only=True)
        self._connection = self._context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._context.__exit__(*exc)
        self._connection = None

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        cursor.execute(sql)
        return list(cursor.fetchall())

    def stream(self, sql: str, size: int = 100_000) -> Iterator[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        cursor.execute(sql)
        while chunk := cursor.fetchmany(size):
            yield from chunk

    def relation(self, model: str, required: bool = True) -> str | None:
        """schema.table of a model, found in the information schema."""
        if model in self._relations:
            return self._relations[model]
        schemas = [
            row[0]
            for row in self.rows(
                "select table_schema from information_schema.tables"
                f" where table_name = {_literal(model)} order by table_schema"
            )
        ]
        if self.schema_prefix:
            schemas = [
                schema
                for schema in schemas
                if schema == self.schema_prefix
                or schema.startswith(self.schema_prefix + "_")
            ]
        if len(schemas) != 1:
            if not required and not schemas:
                return None
            found = ", ".join(schemas) if schemas else "no schema"
            raise IdentityToolError(
                f"{self.label}: {model} found in {found}; "
                + (
                    f"build the identity models first (dbt build --select +{model})"
                    if not schemas
                    else "add @SCHEMA_PREFIX to the warehouse spec to pick one"
                )
            )
        self._relations[model] = f"{schemas[0]}.{model}"
        return self._relations[model]


# ---------------------------------------------------------------- explain


@dataclass
class Hop:
    """One edge of a path, read from `start` to `end`."""

    start: str
    end: str
    sources: str | None
    first_seen_at: Any
    rule_name: str | None
    rule_detail: str | None
    is_linked: bool

    def describe(self) -> str:
        if self.rule_name == "blocked_value":
            kept = f"BLOCKED ({self.rule_detail})"
        elif self.rule_name in (None, "observed"):
            kept = "kept: no rule"
        elif self.is_linked:
            kept = f"kept: {self.rule_name} ({self.rule_detail})"
        else:
            kept = f"CUT by {self.rule_name} ({self.rule_detail})"
        first_seen = (
            "never (forced)"
            if self.first_seen_at is None
            else (str(self.first_seen_at))
        )
        return (
            f"{self.start} -- {self.end}\n"
            f"       sources: {self.sources or '-'}; first seen: {first_seen}; "
            f"{kept}"
        )


@dataclass
class Explanation:
    node_a: str
    node_b: str
    linked: bool
    path: list[Hop]
    notes: list[str]
    profiles: dict[str, str]

    def render(self) -> str:
        lines = []
        if self.linked:
            profile = self.profiles.get(self.node_a)
            lines.append(
                f"{self.node_a} and {self.node_b} are linked"
                + (f" in profile {profile}" if profile else "")
                + f": {len(self.path)} hop(s) of kept edges."
            )
        else:
            lines.append(f"{self.node_a} and {self.node_b} are NOT linked.")
        lines.extend(self.notes)
        for number, hop in enumerate(self.path, start=1):
            lines.append(f"  {number:>2}. {hop.describe()}")
        return "\n".join(lines)


def _parse_identifier(text: str) -> str:
    identifier_type, sep, value = text.partition(":")
    if not sep or not identifier_type or not value:
        raise IdentityToolError(
            f"{text!r}: write an identifier as <type>:<value>, e.g. "
            "email:ann@example.org or crm_contact_id:0031"
        )
    return f"{identifier_type}:{value}"


# A link that int_identity__limit_splits cut after clustering (a chain
# joined what a rule keeps apart) is kept in int_identity__edges_ruled and
# cut in int_identity__limit_cuts: the cut's rule wins.
_EDGE_COLUMNS = (
    "edges.node_a, edges.node_b, edges.sources, edges.first_seen_at,"
    " coalesce(cuts.rule_name, edges.rule_name),"
    " coalesce(cuts.rule_detail, edges.rule_detail),"
    " edges.is_linked and cuts.node_a is null"
)


def _edge_neighbours(
    wh: Warehouse, frontier: list[str], linked_only: bool
) -> Iterator[tuple[str, Hop]]:
    """Edges of int_identity__edges_ruled touching the frontier, with the
    cuts of int_identity__limit_cuts."""
    edges = wh.relation("int_identity__edges_ruled")
    cuts = wh.relation("int_identity__limit_cuts")
    for batch in _batches(frontier):
        nodes = _in_list(batch)
        where = f"(edges.node_a in ({nodes}) or edges.node_b in ({nodes}))"
        if linked_only:
            where += " and edges.is_linked and cuts.node_a is null"
        sql = (
            f"select {_EDGE_COLUMNS} from {edges} as edges"
            f" left join {cuts} as cuts"
            " on edges.node_a = cuts.node_a and edges.node_b = cuts.node_b"
            f" where {where}"
        )
        for row in wh.rows(sql):
            node_a, node_b, sources, first_seen, rule, detail, linked = row
            for start, end in ((node_a, node_b), (node_b, node_a)):
                yield (
                    start,
                    Hop(start, end, sources, first_seen, rule, detail, bool(linked)),
                )


def _blocked_neighbours(
    wh: Warehouse, frontier: list[str]
) -> Iterator[tuple[str, Hop]]:
    """The links blocking removed: a usable identifier to the blocked values
    on its records, and a blocked value to the anchors of its records."""
    identifiers = wh.relation("int_identity__identifiers")
    for batch in _batches(frontier):
        sql = f"""
            select
                here.node,
                there.node,
                here.source_name,
                min(coalesce(here.first_seen_at, there.first_seen_at)),
                max(coalesce(here.blocked_rule_identifier_type,
                             there.blocked_rule_identifier_type)),
                max(coalesce(here.blocked_rule_match_type,
                             there.blocked_rule_match_type)),
                max(coalesce(here.blocked_rule_value, there.blocked_rule_value))
            from {identifiers} as here
            inner join {identifiers} as there
                on here.source_name = there.source_name
                and here.source_record_id = there.source_record_id
            where here.node in ({_in_list(batch)})
                and here.node <> there.node
                and (
                    (there.is_blocked and not here.is_blocked)
                    or (here.is_blocked and there.is_record_anchor)
                )
            group by here.node, there.node, here.source_name
        """
        for start, end, source, first_seen, rule_type, match, value in wh.rows(sql):
            yield (
                start,
                Hop(
                    start,
                    end,
                    source,
                    first_seen,
                    "blocked_value",
                    f"{rule_type}|{match}|{value}",
                    False,
                ),
            )


def _search(
    wh: Warehouse, source: str, goal: str, with_cuts: bool, limit: int | None
) -> tuple[list[Hop] | None, bool]:
    """Breadth-first search from source to goal, one frontier query at a
    time. Returns the path (None if none) and whether the limit stopped it."""
    parents: dict[str, Hop | None] = {source: None}
    frontier = [source]
    while frontier:
        found: dict[str, Hop] = {}
        neighbours = _edge_neighbours(wh, frontier, linked_only=not with_cuts)
        if with_cuts:
            neighbours = _chain(neighbours, _blocked_neighbours(wh, frontier))
        # Deterministic: the first hop by (end, kept before cut) wins.
        for _, hop in sorted(
            neighbours, key=lambda item: (item[1].end, not item[1].is_linked)
        ):
            if hop.end not in parents and hop.end not in found:
                found[hop.end] = hop
        for node, hop in found.items():
            parents[node] = hop
        if goal in parents:
            path = []
            node = goal
            while parents[node] is not None:
                hop = parents[node]
                path.append(hop)
                node = hop.start
            return list(reversed(path)), False
        if limit is not None and len(parents) > limit:
            return None, True
        frontier = sorted(found)
    return None, False


def _chain(*iterables: Iterable[tuple[str, Hop]]) -> Iterator[tuple[str, Hop]]:
    for iterable in iterables:
        yield from iterable


def _over_limit_notes(wh: Warehouse, component_id: str) -> list[str]:
    """Warns when the cluster holds more of a type than its limit: the
    limit cuts direct edges only, and chains are split for the types of
    limit 1 only, so a chain of hops can still join emails or phones."""
    table = wh.relation("int_identity__clusters_over_limit", required=False)
    if table is None:
        return []
    rows = wh.rows(
        "select identifier_type, identifier_count, max_per_profile"
        f" from {table} where component_id = {_literal(component_id)}"
        " order by identifier_type"
    )
    return [
        f"Warning: this cluster holds {count} identifiers of type "
        f"{identifier_type}, more than its max_per_profile of {limit}; each "
        "hop was within the limit, and only types of limit 1 are split. A "
        "do-not-link pair on the wrong hop splits it."
        for identifier_type, count, limit in rows
    ]


def explain(
    wh: Warehouse, first: str, second: str, limit: int = DEFAULT_SEARCH_LIMIT
) -> Explanation:
    node_a, node_b = _parse_identifier(first), _parse_identifier(second)
    clusters = wh.relation("int_identity__clusters")
    identifiers = wh.relation("int_identity__identifiers")
    nodes = _in_list([node_a, node_b])
    components = dict(
        wh.rows(f"select node, component_id from {clusters} where node in ({nodes})")
    )
    profiles: dict[str, str] = {}
    profile_table = wh.relation("dim_profile_identifiers", required=False)
    if profile_table:
        profiles = dict(
            wh.rows(
                f"select identifier_id, profile_id from {profile_table}"
                f" where identifier_id in ({nodes})"
            )
        )
    notes = []
    for node in (node_a, node_b):
        if node in components:
            continue
        blocks = wh.rows(
            "select blocked_rule_identifier_type, blocked_rule_match_type,"
            f" blocked_rule_value from {identifiers}"
            f" where node = {_literal(node)} and is_blocked limit 1"
        )
        if blocks:
            rule = "|".join(str(part) for part in blocks[0])
            notes.append(
                f"{node} is blocked by identity_blocked_values rule {rule}: "
                "it links nothing."
            )
        else:
            notes.append(
                f"{node} was never observed (check the type and the staged "
                "form: emails lower case, phones E.164)."
            )
    if node_a == node_b:
        return Explanation(node_a, node_b, node_a in components, [], notes, profiles)
    if (
        node_a in components
        and node_b in components
        and components[node_a] == components[node_b]
    ):
        path, _ = _search(wh, node_a, node_b, with_cuts=False, limit=None)
        if path is not None:
            notes.extend(_over_limit_notes(wh, components[node_a]))
            return Explanation(node_a, node_b, True, path, notes, profiles)
        notes.append(
            "They share a cluster but no kept edge joins them: the edge table "
            "and the clusters come from different builds; rebuild the identity "
            "models."
        )
        return Explanation(node_a, node_b, False, [], notes, profiles)
    path, stopped = _search(wh, node_a, node_b, with_cuts=True, limit=limit)
    if path is None:
        notes.append(
            f"No path joins them even before the rules (searched {limit:,} "
            "identifiers and stopped)."
            if stopped
            else "No path joins them, even before the rules."
        )
        return Explanation(node_a, node_b, False, [], notes, profiles)
    separating = sorted(
        {f"{hop.rule_name} ({hop.rule_detail})" for hop in path if not hop.is_linked}
    )
    notes.append(
        f"Before the rules a path of {len(path)} hop(s) joined them; "
        "separated by: " + "; ".join(separating) + "."
    )
    return Explanation(node_a, node_b, False, path, notes, profiles)


# ------------------------------------------------------------------- diff


@dataclass
class Group:
    """Base and head profiles that share identifiers, and what happened."""

    base: dict[str, int]
    head: dict[str, int]
    shared: int
    dropped: int
    added: int

    @property
    def kind(self) -> str:
        if not self.base:
            return "created"
        if not self.head:
            return "removed"
        if len(self.base) > 1 and len(self.head) > 1:
            return "reshuffled"
        if len(self.base) > 1:
            return "merged"
        if len(self.head) > 1:
            return "split"
        if self.dropped or self.added:
            return "changed"
        return "unchanged"

    @property
    def size(self) -> int:
        return self.shared + self.dropped + self.added


@dataclass
class Diff:
    base_label: str
    head_label: str
    base_profiles: int
    head_profiles: int
    base_identifiers: int
    head_identifiers: int
    groups: list[Group]
    rule_hits: list[tuple[str, int, int]]

    def counts(self) -> Counter[str]:
        return Counter(group.kind for group in self.groups)

    def changed(self, top: int) -> list[Group]:
        changed = [group for group in self.groups if group.kind != "unchanged"]
        changed.sort(key=lambda group: (-group.size, min([*group.head, *group.base])))
        return changed[:top]

    def summary_rows(self) -> list[tuple[str, str]]:
        counts = self.counts()
        merged = [group for group in self.groups if group.kind == "merged"]
        split = [group for group in self.groups if group.kind == "split"]
        return [
            ("profiles", f"{self.base_profiles:,} -> {self.head_profiles:,}"),
            (
                "identifiers",
                f"{self.base_identifiers:,} -> {self.head_identifiers:,}",
            ),
            ("unchanged profiles", f"{counts['unchanged']:,}"),
            (
                "merged",
                f"{len(merged):,} head profiles from "
                f"{sum(len(group.base) for group in merged):,} base profiles",
            ),
            (
                "split",
                f"{len(split):,} base profiles into "
                f"{sum(len(group.head) for group in split):,} head profiles",
            ),
            ("reshuffled (merged and split)", f"{counts['reshuffled']:,}"),
            ("created (only new identifiers)", f"{counts['created']:,}"),
            ("removed (every identifier gone)", f"{counts['removed']:,}"),
            ("same profiles, identifiers added or gone", f"{counts['changed']:,}"),
        ]

    def render(self, top: int = 10, markdown: bool = False) -> str:
        title = f"Identity diff: {self.base_label} (base) -> {self.head_label} (head)"
        largest = self.changed(top)
        if markdown:
            lines = [f"### {title}", "", "| | |", "|---|---|"]
            lines += [f"| {name} | {value} |" for name, value in self.summary_rows()]
            if self.rule_hits:
                lines += ["", "| rule | hits base | hits head |", "|---|---:|---:|"]
                lines += [
                    f"| {rule} | {base:,} | {head:,} |"
                    for rule, base, head in self.rule_hits
                ]
            if largest:
                lines += [
                    "",
                    f"Largest changed clusters (top {top}):",
                    "",
                    "| change | identifiers | base profiles | head profiles |",
                    "|---|---:|---|---|",
                ]
                lines += [
                    f"| {group.kind} | {group.size:,} | {_profile_list(group.base)}"
                    f" | {_profile_list(group.head)} |"
                    for group in largest
                ]
            return "\n".join(lines)
        width = max(len(name) for name, _ in self.summary_rows())
        lines = [title]
        lines += [f"  {name:<{width}}  {value}" for name, value in self.summary_rows()]
        if self.rule_hits:
            lines.append("  rule hits (base -> head):")
            lines += [
                f"    {rule}: {base:,} -> {head:,}"
                for rule, base, head in self.rule_hits
            ]
        if largest:
            lines.append(f"Largest changed clusters (top {top}):")
            for group in largest:
                lines.append(
                    f"  {group.kind:<10} {group.size:>6,} identifiers  base: "
                    f"{_profile_list(group.base)}  head: {_profile_list(group.head)}"
                )
        else:
            lines.append("No profile changed.")
        return "\n".join(lines)


def _profile_list(profiles: dict[str, int]) -> str:
    if not profiles:
        return "-"
    ordered = sorted(profiles.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{profile} ({count})" for profile, count in ordered[:5]]
    if len(ordered) > 5:
        shown.append(f"+{len(ordered) - 5} more")
    return ", ".join(shown)


def _memberships(wh: Warehouse) -> Iterator[tuple[str, str]]:
    table = wh.relation("dim_profile_identifiers")
    yield from wh.stream(f"select identifier_id, profile_id from {table}")


def _rule_hits(wh: Warehouse) -> dict[str, int]:
    table = wh.relation("fct_identity_rule_hits", required=False)
    if table is None:
        return {}
    return dict(wh.rows(f"select rule_name, count(*) from {table} group by rule_name"))


class _Groups:
    """Union-find over base and head profile ids ('b' or 'h', id)."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, item: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: tuple[str, str], second: tuple[str, str]) -> None:
        root_first, root_second = self.find(first), self.find(second)
        if root_first != root_second:
            self.parent[root_second] = root_first


def diff(base: Warehouse, head: Warehouse) -> Diff:
    """Compares the profiles of two builds, matching identifiers by value."""
    base_of = dict(_memberships(base))
    base_sizes: Counter[str] = Counter(base_of.values())
    head_sizes: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    added: Counter[str] = Counter()
    for identifier, head_profile in _memberships(head):
        head_sizes[head_profile] += 1
        base_profile = base_of.pop(identifier, None)
        if base_profile is None:
            added[head_profile] += 1
        else:
            pairs[(base_profile, head_profile)] += 1
    dropped: Counter[str] = Counter(base_of.values())
    del base_of

    groups = _Groups()
    for profile in base_sizes:
        groups.find(("b", profile))
    for profile in head_sizes:
        groups.find(("h", profile))
    for base_profile, head_profile in pairs:
        groups.union(("b", base_profile), ("h", head_profile))

    members: dict[tuple[str, str], Group] = {}
    for side, sizes in (("b", base_sizes), ("h", head_sizes)):
        for profile, size in sizes.items():
            group = members.setdefault(
                groups.find((side, profile)), Group({}, {}, 0, 0, 0)
            )
            if side == "b":
                group.base[profile] = size
                group.dropped += dropped[profile]
            else:
                group.head[profile] = size
                group.added += added[profile]
    for (base_profile, _), count in pairs.items():
        members[groups.find(("b", base_profile))].shared += count

    base_hits, head_hits = _rule_hits(base), _rule_hits(head)
    rule_hits = [
        (rule, base_hits.get(rule, 0), head_hits.get(rule, 0))
        for rule in sorted(set(base_hits) | set(head_hits))
    ]
    return Diff(
        base.label,
        head.label,
        len(base_sizes),
        len(head_sizes),
        sum(base_sizes.values()),
        sum(head_sizes.values()),
        list(members.values()),
        rule_hits,
    )
