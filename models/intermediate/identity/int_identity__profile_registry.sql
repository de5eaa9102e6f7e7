{#- The memory of the identity layer: it must outlive every rebuild, so a
    full refresh does not touch it (full_refresh=false). Drop the table
    by hand only to issue every profile id anew. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='node',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

{%- set run_started = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S')
    ~ "' as " ~ dbt.type_timestamp() ~ ")" %}

with

clusters as (

    select * from {{ ref('int_identity__clusters') }}

),

registered as (

    {% if is_incremental() %}
        select
            node,
            identifier_type,
            identifier_value,
            profile_id,
            profile_created_at,
            anchored_profile_id,
            first_registered_at
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as node,
            cast(null as {{ dbt.type_string() }}) as identifier_type,
            cast(null as {{ dbt.type_string() }}) as identifier_value,
            cast(null as {{ dbt.type_string() }}) as profile_id,
            cast(null as {{ dbt.type_timestamp() }}) as profile_created_at,
            cast(null as {{ dbt.type_string() }}) as anchored_profile_id,
            cast(null as {{ dbt.type_timestamp() }}) as first_registered_at
        where 1 = 0
    {% endif %}

),

current_nodes as (

    select
        clusters.node,
        clusters.identifier_type,
        clusters.identifier_value,
        clusters.component_id,
        clusters.anchor_node,
        clusters.is_cluster_anchor,
        registered.profile_id as previous_profile_id,
        registered.profile_created_at as previous_profile_created_at,
        registered.anchored_profile_id,
        registered.first_registered_at
    from clusters
    left join registered
        on clusters.node = registered.node

),

-- Which clusters now hold identifiers of each registered profile.
holdings as (

    select
        previous_profile_id as profile_id,
        component_id,
        min(previous_profile_created_at) as profile_created_at,
        count(*) as node_count,
        max(
            case
                when anchored_profile_id = previous_profile_id then 1
                else 0
            end
        ) as holds_anchor
    from current_nodes
    where previous_profile_id is not null
    group by previous_profile_id, component_id

),

-- Split rule: a profile whose identifiers now sit in several clusters
-- stays with the cluster holding the identifier it was issued for, then
-- the one holding most of its identifiers, then the smallest cluster id.
kept as (

    select
        *,
        row_number() over (
            partition by profile_id
            order by
                holds_anchor desc,
                node_count desc,
                {{ binary_collation('component_id') }} asc
        ) = 1 as is_kept
    from holdings

),

-- Merge rule: a cluster keeping several profiles keeps the oldest (first
-- issued), then the smallest id; the others are absorbed into it.
survivor_ranks as (

    select
        component_id,
        profile_id,
        profile_created_at,
        row_number() over (
            partition by component_id
            order by
                profile_created_at,
                {{ binary_collation('profile_id') }}
        ) as survivor_rank
    from kept
    where is_kept

),

survivors as (

    select
        component_id,
        profile_id,
        profile_created_at
    from survivor_ranks
    where survivor_rank = 1

),

-- A cluster keeping no profile gets a new id from its anchor identifier;
-- an anchor that already had a profile (the cluster split away from it)
-- adds that profile's id, so the new id differs from every earlier one.
new_profiles as (

    select
        component_id,
        {{ dbt.concat(["'prf_'", dbt.hash(
            "case when previous_profile_id is null then node else "
            ~ dbt.concat(['node', "'|'", 'previous_profile_id'])
            ~ " end")]) }} as profile_id
    from current_nodes
    where is_cluster_anchor

),

assigned as (

    select
        current_nodes.*,
        coalesce(survivors.profile_id, new_profiles.profile_id)
            as profile_id,
        coalesce(survivors.profile_created_at, {{ run_started }})
            as profile_created_at,
        survivors.profile_id is null as is_new_profile,
        kept.is_kept as is_previous_profile_kept
    from current_nodes
    left join survivors
        on current_nodes.component_id = survivors.component_id
    inner join new_profiles
        on current_nodes.component_id = new_profiles.component_id
    left join kept
        on
            current_nodes.previous_profile_id = kept.profile_id
            and current_nodes.component_id = kept.component_id

),

classified as (

    select
        *,
        case
            when previous_profile_id is null then 'registered'
            when previous_profile_id = profile_id then 'unchanged'
            when is_previous_profile_kept then 'merged'
            else 'split'
        end as change_kind
    from assigned

),

absorbed as (

    select distinct
        previous_profile_id as absorbed_profile_id,
        profile_id as surviving_profile_id,
        profile_created_at
    from classified
    where change_kind = 'merged'

),

-- Identifiers no longer in any cluster (blocked since, or gone from the
-- sources) keep their row; when their profile is absorbed they follow it,
-- so that an absorbed id can never come back through them.
left_behind as (

    select
        registered.node,
        registered.identifier_type,
        registered.identifier_value,
        absorbed.surviving_profile_id as profile_id,
        absorbed.profile_created_at,
        registered.profile_id as previous_profile_id,
        'merged' as change_kind,
        registered.anchored_profile_id,
        registered.first_registered_at
    from registered
    inner join absorbed
        on registered.profile_id = absorbed.absorbed_profile_id
    left join clusters
        on registered.node = clusters.node
    where clusters.node is null

),

changed as (

    select
        node,
        identifier_type,
        identifier_value,
        profile_id,
        profile_created_at,
        previous_profile_id,
        change_kind,
        case
            when is_new_profile and is_cluster_anchor then profile_id
            else anchored_profile_id
        end as anchored_profile_id,
        coalesce(first_registered_at, {{ run_started }})
            as first_registered_at
    from classified
    where change_kind <> 'unchanged'
    union all
    select
        node,
        identifier_type,
        identifier_value,
        profile_id,
        profile_created_at,
        previous_profile_id,
        change_kind,
        anchored_profile_id,
        first_registered_at
    from left_behind

),

final as (

    select
        node,
        identifier_type,
        identifier_value,
        profile_id,
        profile_created_at,
        previous_profile_id,
        change_kind,
        anchored_profile_id,
        first_registered_at,
        {{ run_started }} as changed_at,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }})
            as changed_invocation_id
    from changed

)

select * from final
