with

graph_links as (

    select * from {{ ref('int_identity__graph_links') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}

),

blocked_values as (

    select * from {{ ref('identity_blocked_values') }}

),

link_overrides as (

    select * from {{ ref('identity_link_overrides') }}

),

previous_memberships as (

    select previous_run.*
    from {{ identity_previous_memberships() }} as previous_run

),

-- Every rule setting that can change who is linked with whom; reasons
-- and descriptions cannot, and are left out.
rule_rows as (

    select
        {{ dbt.concat([
            "'type|'", 'identifier_type', "'|'",
            "coalesce(cast(priority as " ~ dbt.type_string() ~ "), '')",
            "'|'",
            "coalesce(cast(max_per_profile as " ~ dbt.type_string()
                ~ "), '')",
        ]) }} as rule_row
    from identifier_types
    union all
    select
        {{ dbt.concat([
            "'block|'", "coalesce(identifier_type, '')", "'|'",
            "coalesce(match_type, '')", "'|'", "coalesce(value, '')",
        ]) }} as rule_row
    from blocked_values
    union all
    select
        {{ dbt.concat([
            "'override|'", "coalesce(action, '')", "'|'",
            "coalesce(identifier_type_a, '')", "'|'",
            "coalesce(identifier_value_a, '')", "'|'",
            "coalesce(identifier_type_b, '')", "'|'",
            "coalesce(identifier_value_b, '')",
        ]) }} as rule_row
    from link_overrides

),

rules as (

    select
        {{ dbt.hash("coalesce(" ~ dbt.listagg(
            'rule_row', "';'",
            'order by ' ~ binary_collation('rule_row')) ~ ", '')") }}
            as rules_hash
    from rule_rows

),

prior_run as (

    select
        max(case when is_current then rules_hash end) as rules_hash,
        max(clustered_at) as clustered_at
    from previous_memberships

),

-- Everything is reclustered on a first build, a full refresh, or when
-- the rules changed since the previous run.
run_mode as (

    select
        rules.rules_hash,
        prior_run.clustered_at as previous_clustered_at,
        (
            {{ identity_is_full_refresh() }}
            or prior_run.rules_hash is null
            or prior_run.rules_hash <> rules.rules_hash
        ) as is_full_recompute
    from rules
    cross join prior_run

),

-- Links that appeared or went away since the previous run clustered.
changed_links as (

    select
        graph_links.node_a,
        graph_links.node_b
    from graph_links
    cross join run_mode
    where
        run_mode.previous_clustered_at is null
        or graph_links.changed_at > run_mode.previous_clustered_at

),

touched_nodes as (

    select node_a as node from changed_links
    union
    select node_b as node from changed_links
    where node_b is not null

),

current_memberships as (

    select
        node,
        component_id
    from previous_memberships
    where is_current

),

touched_components as (

    select distinct current_memberships.component_id
    from current_memberships
    inner join touched_nodes
        on current_memberships.node = touched_nodes.node

),

-- Every link of a node in here joins two nodes in here: an unchanged
-- link lies inside one previous component, a changed one is touched.
-- So the components of these nodes can be computed from their links
-- alone, and every other node keeps its component.
incremental_scope as (

    select node from touched_nodes
    union
    select current_memberships.node
    from current_memberships
    inner join touched_components
        on current_memberships.component_id = touched_components.component_id

),

full_scope as (

    select node_a as node from graph_links
    where is_current
    union
    select node_b as node from graph_links
    where is_current and node_b is not null
    union
    select node from current_memberships

),

scope as (

    select incremental_scope.node
    from incremental_scope
    cross join run_mode
    where not run_mode.is_full_recompute
    union all
    select full_scope.node
    from full_scope
    cross join run_mode
    where run_mode.is_full_recompute

),

final as (

    select
        scope.node,
        run_mode.is_full_recompute,
        run_mode.rules_hash
    from scope
    cross join run_mode

)

select * from final
