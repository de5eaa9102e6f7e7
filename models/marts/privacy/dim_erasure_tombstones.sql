with

registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

profile_id_map as (

    select * from {{ ref('dim_profile_id_map') }}

),

final as (

    select
        cast(registry.identifier_key as {{ dbt.type_string() }})
            as tombstone_id,
        cast(registry.identifier_type as {{ dbt.type_string() }})
            as identifier_type,
        cast(registry.identifier_sha256 as {{ dbt.type_string() }})
            as identifier_sha256,
        cast(registry.erased_profile_id as {{ dbt.type_string() }})
            as erased_profile_id,
        cast(
            coalesce(
                profile_id_map.current_profile_id, registry.erased_profile_id
            ) as {{ dbt.type_string() }}
        ) as current_profile_id,
        cast(registry.request_id as {{ dbt.type_string() }}) as request_id,
        cast(registry.requested_at as {{ dbt.type_timestamp() }})
            as requested_at,
        cast(registry.erased_at as {{ dbt.type_timestamp() }}) as erased_at
    from registry
    left join profile_id_map
        on registry.erased_profile_id = profile_id_map.issued_profile_id

)

select * from final
