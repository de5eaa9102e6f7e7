"""The Python engine of connected components (cdp.connected_components)
against a plain union-find, on random edge lists with the mess the edge
extraction emits: duplicates, both directions, self loops, null ends, and
names whose byte order differs from a dictionary's."""

from __future__ import annotations

import itertools
import random

import duckdb
import pandas as pd
import pytest

from cdp.connected_components import component_relation

Edge = tuple[str | None, str | None]
PREFIXES = ("a", "B", "_", "é", "Z", "b ")


def union_find_components(edges: list[Edge]) -> dict[str, str]:
    """Every non-null node and the smallest node (code point order, which
    is UTF-8 byte order) of its component."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node_a, node_b in edges:
        for node in (node_a, node_b):
            if node is not None:
                parent.setdefault(node, node)
        if node_a is not None and node_b is not None:
            root_a, root_b = root(node_a), root(node_b)
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {node: root(node) for node in parent}


def engine_components(edges: list[Edge]) -> dict[str, str]:
    connection = duckdb.connect()
    edge_rows = pd.DataFrame(edges, columns=["node_a", "node_b"], dtype=object)
    connection.register("edge_rows", edge_rows)
    connection.execute(
        "create table edges as select cast(node_a as varchar) as node_a, "
        "cast(node_b as varchar) as node_b from edge_rows"
    )
    rows = component_relation(connection, "select node_a, node_b from edges").fetchall()
    labels = dict(rows)
    assert len(labels) == len(rows), "a node has more than one row"
    return labels


def random_edges(seed: int) -> list[Edge]:
    rng = random.Random(seed)
    nodes = [f"{rng.choice(PREFIXES)}{number}" for number in range(40)]
    edges: list[Edge] = []
    for _ in range(30):
        node_a, node_b = rng.choice(nodes), rng.choice(nodes)
        edges.append((node_a, node_b))
        if rng.random() < 0.2:
            edges.append((node_b, node_a))
        if rng.random() < 0.1:
            edges.append((node_a, node_a))
        if rng.random() < 0.1:
            edges.append((rng.choice(nodes), None))
    edges.append((None, None))
    return edges


@pytest.mark.parametrize("seed", range(25))
def test_random_edge_lists_match_union_find(seed: int) -> None:
    edges = random_edges(seed)
    assert engine_components(edges) == union_find_components(edges)


def test_long_shuffled_chain_is_one_component() -> None:
    names = [f"n{number:05d}" for number in range(5000)]
    random.Random(7).shuffle(names)
    edges: list[Edge] = list(itertools.pairwise(names))
    assert set(engine_components(edges).values()) == {"n00000"}


def test_smallest_node_is_smallest_in_byte_order() -> None:
    edges: list[Edge] = [("apple", "Banana"), ("_x", "apple"), ("Émile", "_x")]
    assert set(engine_components(edges).values()) == {"Banana"}


def test_nodes_without_partner_are_their_own_component() -> None:
    edges: list[Edge] = [("lonely", None), (None, "solo"), ("loop", "loop")]
    assert engine_components(edges) == {
        "lonely": "lonely",
        "solo": "solo",
        "loop": "loop",
    }


def test_empty_edge_list_gives_no_rows() -> None:
    assert engine_components([]) == {}
