{#- Compared with itself at every run: the links that appeared or went
    away since are what an incremental run reclusters. A full refresh
    rebuilds it, stamping every link as new, so everything is reclustered. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='link_id',
        on_schema_change='fail',
    )
}}

with

graph_edges as (

    select * from {{ ref('int_identity__graph_edges') }}

),

previous_links as (

    {% if is_incremental() %}
        select
            link_id,
            node_a,
            node_b,
            is_current
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as link_id,
            cast(null as {{ dbt.type_string() }}) as node_a,
            cast(null as {{ dbt.type_string() }}) as node_b,
            cast(null as {{ dbt.type_boolean() }}) as is_current
        where 1 = 0
    {% endif %}

),

current_links as (

    select
        {{ dbt.hash(dbt.concat([
            'node_a', "'|'", "coalesce(node_b, '')"])) }} as link_id,
        node_a,
        node_b
    from graph_edges

),

appeared as (

    select
        current_links.link_id,
        current_links.node_a,
        current_links.node_b,
        true as is_current
    from current_links
    left join previous_links
        on current_links.link_id = previous_links.link_id
    where
        previous_links.link_id is null
        or not previous_links.is_current

),

vanished as (

    select
        previous_links.link_id,
        previous_links.node_a,
        previous_links.node_b,
        false as is_current
    from previous_links
    left join current_links
        on previous_links.link_id = current_links.link_id
    where
        previous_links.is_current
        and current_links.link_id is null

),

changed as (

    select * from appeared
    union all
    select * from vanished

),

final as (

    select
        link_id,
        node_a,
        node_b,
        is_current,
        {{ identity_run_started_at() }} as changed_at,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }})
            as changed_invocation_id
    from changed

)

select * from final
