with

clusters as (

    select * from {{ ref('int_identity__clusters') }}

),

registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

final as (

    select
        cast(clusters.node as {{ dbt.type_string() }}) as identifier_id,
        cast(clusters.identifier_type as {{ dbt.type_string() }})
            as identifier_type,
        cast(clusters.identifier_value as {{ dbt.type_string() }})
            as identifier_value,
        cast(registry.profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(clusters.first_seen_at as {{ dbt.type_timestamp() }})
            as first_seen_at,
        cast(clusters.last_seen_at as {{ dbt.type_timestamp() }})
            as last_seen_at,
        cast(clusters.sources as {{ dbt.type_string() }}) as sources,
        clusters.is_cluster_anchor as is_profile_anchor
    from clusters
    inner join registry
        on clusters.node = registry.node
    left join erased_profiles
        on registry.profile_id = erased_profiles.profile_id
    where erased_profiles.profile_id is null

)

select * from final
