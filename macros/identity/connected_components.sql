{#- Connected components of an edge list, in SQL, on any warehouse.

    Use: a model with `materialized='connected_components'` whose SQL
    selects the edges, two text columns node_a and node_b:

        {{ config(materialized='connected_components') }}
        select node_a, node_b from {{ ref('int_identity_edges') }}

    Its table then holds one row per node, `node` and `component_id`, where
    component_id is the smallest node (byte order, see binary_collation)
    of the node's connected component. Edges are undirected; duplicates,
    both directions and self loops are allowed. A null end is no link, but
    the other end is still a node (so `select id, null` registers a node
    that has no link yet). The Python engine (cdp.connected_components, in
    a dbt Python model on DuckDB) gives identical rows; components_engine.sql
    chooses between them.

    Why a materialization: the engine has to loop until nothing changes,
    which a model's single select cannot do. The materialization runs each
    step with a statement, reads back a count, decides whether to go on, and
    at the end builds the model's table the way a table model does (a new
    table swapped in). So it runs inside a plain `dbt build` with no model
    run by hand several times. `dbt compile` and `dbt show` on such a model
    give its edge list, not its result. Its working tables are temporary
    tables of the model's own connection, dropped as soon as a step no
    longer needs them; when a build fails, the Postgres transaction rolls
    them back and DuckDB drops them with the connection. Contracts are not
    supported (the output columns are fixed by the engine).

    The algorithm (hook, shortcut, contract), on bigint node keys in byte
    order of the node text:
    1. hook: every node that still has a neighbour points at the smallest
       of itself and its neighbours; pointers only go down, so they form
       trees rooted at local minima, and the root of a tree is its smallest
       node;
    2. shortcut: pointer jumping (each node points at its grandparent)
       until every tree is a star: log2(depth) passes;
    3. contract: each tree becomes its root, edges are rewritten between
       roots, and merges (node -> root) are recorded; isolated roots drop
       out, and the loop ends when no edge is left.
    A round merges every node that hooks or is hooked. The only nodes left
    alone are roots nobody hooked; each of them has, after contraction, a
    smaller neighbour and therefore hooks in the next round. So the number
    of linked nodes at least halves every two rounds: at most
    2 * ceil(log2(nodes)) rounds, whatever the shape (a chain of 10,000
    nodes takes a handful; plain min-label propagation would take 10,000).
    The recorded merges form a forest of depth at most the number of
    rounds; flattening it gives every node its component's root.

    Both loops stop when nothing is left to do and are bounded by the
    proven limits above plus slack. Reaching a limit cannot happen on any
    input, so it fails the build with an error naming the model and the
    round instead of returning labels that have not converged. -#}

{% materialization connected_components, default %}

    {%- if config.get('contract', {}).enforced -%}
        {{ exceptions.raise_compiler_error(
            model.unique_id ~ ": a connected_components model cannot"
            ~ " enforce a contract; its columns are always node and"
            ~ " component_id (text).") }}
    {%- endif -%}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation =
        make_intermediate_relation(target_relation) -%}
    {%- set backup_relation = make_backup_relation(
        target_relation,
        'table' if existing_relation is none
        else existing_relation.type) -%}
    {%- set grant_config = config.get('grants') -%}

    {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
    {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set components = connected_components_build(
        sql, target_relation, model.unique_id) -%}

    {% call statement('main') -%}
        {{ get_create_table_as_sql(
            False, intermediate_relation, components.result_sql) }}
    {%- endcall %}

    {%- do connected_components_drop_scratch(components) -%}

    {%- if existing_relation is not none -%}
        {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {%- endif -%}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    {%- do apply_grants(
        target_relation,
        grant_config,
        should_revoke=should_revoke(existing_relation,
                                    full_refresh_mode=True)) -%}
    {%- do persist_docs(target_relation, model) -%}

    {{ adapter.commit() }}

    {{ drop_relation_if_exists(backup_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}

{#- Runs the engine on the SQL of an edge list. Scratch tables are named
    after base_relation; label names the caller in logs and errors.
    Returns result_sql (the select of node, component_id) and the scratch
    tables it reads, to drop once the result is stored. -#}
{% macro connected_components_build(edges_sql, base_relation, label) %}
    {%- set started_at = modules.datetime.datetime.now() -%}

    {%- set input = connected_components_scratch_table(
        base_relation, '__cc_input',
        connected_components_input_sql(edges_sql)) -%}
    {%- set nodes = connected_components_scratch_table(
        base_relation, '__cc_nodes',
        connected_components_nodes_sql(input)) -%}
    {%- set first_edges = connected_components_scratch_table(
        base_relation, '__cc_edges_0',
        connected_components_edges_sql(input, nodes)) -%}
    {%- do adapter.drop_relation(input) -%}
    {%- set merges = connected_components_scratch_table(
        base_relation, '__cc_merges',
        connected_components_empty_forest_sql(nodes)) -%}

    {%- set node_count = connected_components_count(
        'select count(*) from ' ~ nodes) -%}
    {%- set max_rounds = 2 * connected_components_log2_ceil(node_count) + 2 -%}
    {%- set state = namespace(edges=first_edges, rounds=0, done=false) -%}

    {%- for round in range(1, max_rounds + 2) -%}
    {%- if not state.done -%}
        {%- set edge_count = connected_components_count(
            'select count(*) from ' ~ state.edges) -%}
        {%- if edge_count == 0 -%}
            {%- set state.done = true -%}
        {%- elif round > max_rounds -%}
            {{ exceptions.raise_compiler_error(
                label ~ ": connected components did not converge: round "
                ~ round ~ " would start with " ~ edge_count ~ " links left,"
                ~ " past the limit of " ~ max_rounds ~ " rounds proven for "
                ~ node_count ~ " nodes. This is a bug in"
                ~ " macros/identity/connected_components.sql, not in the"
                ~ " data: please report it with the input.") }}
        {%- else -%}
            {{ log(label ~ ": connected components round " ~ round ~ ", "
                   ~ edge_count ~ " links") }}
            {%- set hooks = connected_components_scratch_table(
                base_relation, '__cc_hooks_' ~ round,
                connected_components_hooks_sql(state.edges)) -%}
            {%- set roots = connected_components_flatten(
                hooks, base_relation, '__cc_roots_' ~ round,
                label ~ ", round " ~ round, node_count) -%}
            {%- do connected_components_execute(
                connected_components_record_merges_sql(merges, roots)) -%}
            {%- set half_contracted = connected_components_scratch_table(
                base_relation, '__cc_half_' ~ round,
                connected_components_contract_nodes_sql(
                    state.edges, roots)) -%}
            {%- do adapter.drop_relation(state.edges) -%}
            {%- set next_edges = connected_components_scratch_table(
                base_relation, '__cc_edges_' ~ round,
                connected_components_contract_neighbors_sql(
                    half_contracted, roots)) -%}
            {%- do adapter.drop_relation(half_contracted) -%}
            {%- do adapter.drop_relation(roots) -%}
            {%- set state.edges = next_edges -%}
            {%- set state.rounds = round -%}
        {%- endif -%}
    {%- endif -%}
    {%- endfor -%}
    {%- do adapter.drop_relation(state.edges) -%}
    {%- do connected_components_analyze(merges) -%}

    {%- set labels = connected_components_flatten(
        merges, base_relation, '__cc_labels',
        label ~ ", labels", node_count) -%}
    {%- set merge_count = connected_components_count(
        'select count(*) from ' ~ labels) -%}

    {%- set seconds = (modules.datetime.datetime.now() - started_at)
        .total_seconds() -%}
    {{ log(label ~ ": " ~ node_count ~ " nodes in "
           ~ (node_count - merge_count) ~ " components after "
           ~ state.rounds ~ " rounds (limit " ~ max_rounds ~ ") in "
           ~ '%.1f' | format(seconds) ~ " s", info=True) }}

    {{ return({
        'result_sql': connected_components_result_sql(nodes, labels),
        'scratch': [nodes, labels],
        'node_count': node_count,
        'component_count': node_count - merge_count,
        'rounds': state.rounds,
    }) }}
{% endmacro %}

{% macro connected_components_drop_scratch(components) %}
    {%- for relation in components.scratch -%}
        {%- do adapter.drop_relation(relation) -%}
    {%- endfor -%}
{% endmacro %}

{#- Pointer jumping until every node points at a root. Takes over the
    forest table (it is dropped once superseded) and returns the flat one.
    The depth halves with each jump, so ceil(log2(nodes)) jumps flatten any
    forest and one more finds that nothing moves. -#}
{% macro connected_components_flatten(
        forest, base_relation, suffix, label, node_count) %}
    {%- set max_passes = connected_components_log2_ceil(node_count) + 1 -%}
    {%- set state = namespace(forest=forest, done=false) -%}
    {%- for pass in range(1, max_passes + 2) -%}
    {%- if not state.done -%}
        {%- if pass > max_passes -%}
            {{ exceptions.raise_compiler_error(
                label ~ ": pointer jumping did not converge: pass " ~ pass
                ~ " would be needed, past the limit of " ~ max_passes
                ~ " passes proven for " ~ node_count ~ " nodes. This is a"
                ~ " bug in macros/identity/connected_components.sql, not in"
                ~ " the data: please report it with the input.") }}
        {%- endif -%}
        {%- set jumped = connected_components_scratch_table(
            base_relation, suffix ~ '_' ~ pass,
            connected_components_jump_sql(state.forest)) -%}
        {%- do adapter.drop_relation(state.forest) -%}
        {%- set state.forest = jumped -%}
        {%- if connected_components_count(
                connected_components_moved_sql(jumped)) == 0 -%}
            {%- set state.done = true -%}
        {%- endif -%}
    {%- endif -%}
    {%- endfor -%}
    {{ return(state.forest) }}
{% endmacro %}

{#- Runs the engine outside a model, on any relation with node_a and
    node_b, and stores the result in result_relation (replacing it): for
    ad-hoc runs and the benchmark (src/cdp/bench_components.py).
        dbt run-operation materialize_connected_components \
            --args '{edges: bench.edges, result: bench.components}'
    -#}
{% macro materialize_connected_components(edges, result) %}
    {%- set parts = result.split('.') -%}
    {%- set result_relation = api.Relation.create(
        database=target.database,
        schema=parts[0] if parts | length > 1 else target.schema,
        identifier=parts[-1],
        type='table') -%}
    {%- set components = connected_components_build(
        'select node_a, node_b from ' ~ edges, result_relation,
        'materialize_connected_components(' ~ edges ~ ')') -%}
    {%- do adapter.drop_relation(result_relation) -%}
    {%- call statement('materialize_connected_components',
                       auto_begin=true) -%}
        {{ get_create_table_as_sql(
            False, result_relation, components.result_sql) }}
    {%- endcall -%}
    {%- do connected_components_drop_scratch(components) -%}
    {%- do adapter.commit() -%}
{% endmacro %}

{#- A scratch table holding the result of sql, named after the model. -#}
{% macro connected_components_scratch_table(base_relation, suffix, sql) %}
    {%- set relation = make_temp_relation(base_relation, suffix) -%}
    {%- do connected_components_execute(
        get_create_table_as_sql(True, relation, sql)) -%}
    {%- do connected_components_analyze(relation) -%}
    {{ return(relation) }}
{% endmacro %}

{% macro connected_components_execute(sql, fetch=false) %}
    {%- call statement(
            'connected_components_step', fetch_result=fetch,
            auto_begin=connected_components_in_transaction()) -%}
        {{ sql }}
    {%- endcall -%}
    {%- if fetch -%}
        {{ return(load_result('connected_components_step').table) }}
    {%- endif -%}
{% endmacro %}

{% macro connected_components_count(sql) %}
    {%- set table = connected_components_execute(sql, fetch=true) -%}
    {{ return(table.columns[0].values()[0] | int) }}
{% endmacro %}

{#- The smallest exponent e with 2 ** e >= n (0 for n <= 1). -#}
{% macro connected_components_log2_ceil(n) %}
    {%- for exponent in range(0, 64) -%}
        {%- if 2 ** exponent >= n -%}
            {{ return(exponent) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(64) }}
{% endmacro %}

{#- Statistics on a scratch table just filled, where the planner needs
    them. -#}
{% macro connected_components_analyze(relation) %}
    {{ return(adapter.dispatch('connected_components_analyze',
                               'warehouse_cdp')(relation)) }}
{% endmacro %}

{% macro default__connected_components_analyze(relation) %}
{% endmacro %}

{#- Autovacuum never analyzes temporary tables: without statistics the
    planner guesses their size and can pick nested loops on millions of
    rows. -#}
{% macro postgres__connected_components_analyze(relation) %}
    {%- do connected_components_execute('analyze ' ~ relation) -%}
{% endmacro %}

{#- Whether the engine's steps open the model's transaction (where they
    then run) or run one by one before it. The working tables are
    temporary, so nobody else sees them either way. -#}
{% macro connected_components_in_transaction() %}
    {{ return(adapter.dispatch('connected_components_in_transaction',
                               'warehouse_cdp')()) }}
{% endmacro %}

{% macro default__connected_components_in_transaction() %}
    {{ return(true) }}
{% endmacro %}

{#- DuckDB keeps no statistics on a table created inside the open
    transaction and then plans joins blind (several times slower). -#}
{% macro duckdb__connected_components_in_transaction() %}
    {{ return(false) }}
{% endmacro %}
