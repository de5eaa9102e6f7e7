with

clusters as (

    select * from {{ ref('int_identity__clusters') }}

),

identifier_types as (

    select * from {{ ref('identity_identifier_types') }}
    where max_per_profile is not null

),

type_counts as (

    select
        clusters.component_id,
        clusters.identifier_type,
        identifier_types.max_per_profile,
        count(*) as identifier_count
    from clusters
    inner join identifier_types
        on clusters.identifier_type = identifier_types.identifier_type
    group by
        clusters.component_id,
        clusters.identifier_type,
        identifier_types.max_per_profile

),

final as (

    select
        component_id,
        identifier_type,
        max_per_profile,
        cast(identifier_count as {{ dbt.type_bigint() }})
            as identifier_count
    from type_counts
    where identifier_count > max_per_profile

)

select * from final
