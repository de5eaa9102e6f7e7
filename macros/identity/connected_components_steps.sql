{#- The SQL of each step of the connected-components engine (see
    connected_components.sql for the algorithm and why it converges). Every
    relation they read is a scratch table of the engine, keyed by bigint
    node keys: text is read once (nodes) and written once (result). -#}

{#- The model's edge list, cast to text and stored once: it is read twice
    and may be an expensive query. -#}
{% macro connected_components_input_sql(edges_sql) -%}
    select
        cast(node_a as {{ dbt.type_string() }}) as node_a,
        cast(node_b as {{ dbt.type_string() }}) as node_b
    from (
        {{ edges_sql }}
    ) as edge_list
{%- endmacro %}

{#- One row per node. Keys follow byte order of the node text, so the
    smallest key of a component is its canonical label. -#}
{% macro connected_components_nodes_sql(input) -%}
    with

    endpoints as (

        select node_a as node from {{ input }}
        union
        select node_b as node from {{ input }}

    ),

    final as (

        select
            node,
            row_number() over (
                order by {{ binary_collation('node') }}
            ) as node_key
        from endpoints
        where node is not null

    )

    select * from final
{%- endmacro %}

{#- One row per ordered pair of distinct linked nodes. Self loops and
    edges with a null end carry no link (their nodes are in nodes already);
    duplicates and both directions collapse into one pair each way.

    No step compares columns of two different joined tables with <> when a
    third table is in the join: a warehouse that has no statistics yet on
    a fresh table (DuckDB inside a transaction) may join those two first,
    as a nested loop over every pair of nodes. Self loops are therefore
    dropped on the text, and contraction joins one side at a time. -#}
{% macro connected_components_edges_sql(input, nodes) -%}
    with

    edge_list as (

        select node_a, node_b from {{ input }}
        where node_a <> node_b

    ),

    nodes as (

        select node, node_key from {{ nodes }}

    ),

    keyed as (

        select
            node_a_keys.node_key as key_a,
            node_b_keys.node_key as key_b
        from edge_list
        inner join nodes as node_a_keys
            on edge_list.node_a = node_a_keys.node
        inner join nodes as node_b_keys
            on edge_list.node_b = node_b_keys.node

    ),

    -- One row per unordered pair first: the two directions below can then
    -- be appended without a second, twice as large, deduplication.
    pairs as (

        select distinct
            least(key_a, key_b) as smaller_key,
            greatest(key_a, key_b) as larger_key
        from keyed

    ),

    final as (

        select
            smaller_key as node_key,
            larger_key as neighbor_key
        from pairs
        union all
        select
            larger_key as node_key,
            smaller_key as neighbor_key
        from pairs

    )

    select * from final
{%- endmacro %}

{#- The table of merges starts empty, with the column types of the keys. -#}
{% macro connected_components_empty_forest_sql(nodes) -%}
    select
        node_key,
        node_key as parent_key
    from {{ nodes }}
    where 1 = 0
{%- endmacro %}

{#- Hooking: every node that still has a neighbour points at the smallest
    of itself and its neighbours. Pointers only go down, so they form a
    forest whose roots are local minima. -#}
{% macro connected_components_hooks_sql(edges) -%}
    select
        node_key,
        least(node_key, min(neighbor_key)) as parent_key
    from {{ edges }}
    group by node_key
{%- endmacro %}

{#- Pointer jumping: every node points at its grandparent, which halves
    the depth of each tree. A root points at itself (hooks) or has no row
    (merges). has_moved marks the nodes whose parent changed: when none
    did, the forest was already flat. -#}
{% macro connected_components_jump_sql(forest) -%}
    select
        child.node_key,
        coalesce(parent.parent_key, child.parent_key) as parent_key,
        case
            when parent.parent_key <> child.parent_key then 1 else 0
        end as has_moved
    from {{ forest }} as child
    left join {{ forest }} as parent
        on child.parent_key = parent.node_key
{%- endmacro %}

{% macro connected_components_moved_sql(forest) -%}
    select count(*) as moved
    from {{ forest }}
    where has_moved = 1
{%- endmacro %}

{% macro connected_components_record_merges_sql(merges, roots) -%}
    insert into {{ merges }} (node_key, parent_key)
    select
        node_key,
        parent_key
    from {{ roots }}
    where node_key <> parent_key
{%- endmacro %}

{#- Contraction: every tree of the round becomes its root, so the next
    round works on a graph with (at most) half as many linked nodes. It
    takes two steps, one per end of the edge (see edges_sql for why):
    first the node end is replaced by its root, then the neighbour end,
    dropping the links that fall inside one tree. -#}
{% macro connected_components_contract_nodes_sql(edges, roots) -%}
    select distinct
        node_roots.parent_key as node_key,
        edges.neighbor_key
    from {{ edges }} as edges
    inner join {{ roots }} as node_roots
        on edges.node_key = node_roots.node_key
{%- endmacro %}

{% macro connected_components_contract_neighbors_sql(half_contracted, roots) -%}
    select distinct
        half_contracted.node_key,
        neighbor_roots.parent_key as neighbor_key
    from {{ half_contracted }} as half_contracted
    inner join {{ roots }} as neighbor_roots
        on half_contracted.neighbor_key = neighbor_roots.node_key
    where half_contracted.node_key <> neighbor_roots.parent_key
{%- endmacro %}

{#- A node that was never merged is the root (smallest node) of its
    component; every other node has a flattened label pointing there.
    Labels are joined to their roots before the nodes are: both joins then
    look up a unique key. Joined the other way round, Postgres hashed the
    left join's output on the root key, where every unmerged node has a
    null and every node of a component the same root; the hash table split
    into 131,072 batches and the step took 98 s at 100k profiles (0.8 s
    this way). -#}
{% macro connected_components_result_sql(nodes, labels) -%}
    with

    labelled as (

        select
            labels.node_key,
            roots.node as root_node
        from {{ labels }} as labels
        inner join {{ nodes }} as roots
            on labels.parent_key = roots.node_key

    ),

    final as (

        select
            cast(nodes.node as {{ dbt.type_string() }}) as node,
            cast(coalesce(labelled.root_node, nodes.node)
                as {{ dbt.type_string() }}) as component_id
        from {{ nodes }} as nodes
        left join labelled
            on nodes.node_key = labelled.node_key

    )

    select * from final
{%- endmacro %}
