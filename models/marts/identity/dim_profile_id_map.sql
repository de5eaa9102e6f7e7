{#- Every id ever issued must stay here, so a full refresh does not touch
    it (full_refresh=false). -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='issued_profile_id',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

with

registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

logged_merges as (

    select * from {{ ref('fct_profile_merges') }}

),

mapped as (

    {% if is_incremental() %}
        select
            issued_profile_id,
            current_profile_id,
            issued_at
        from {{ this }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as issued_profile_id,
            cast(null as {{ dbt.type_string() }}) as current_profile_id,
            cast(null as {{ dbt.type_timestamp() }}) as issued_at
        where 1 = 0
    {% endif %}

),

current_profiles as (

    select
        profile_id,
        min(profile_created_at) as profile_created_at
    from registry
    group by profile_id

),

-- Ids that point at an absorbed profile now point at its survivor. An
-- absorbed id never carries identifiers again and every run leaves the
-- map resolved, so one step per run keeps every chain of merges flat
-- (and a run without merges rewrites nothing).
repointed as (

    select
        mapped.issued_profile_id,
        logged_merges.surviving_profile_id as current_profile_id,
        mapped.issued_at
    from mapped
    inner join logged_merges
        on mapped.current_profile_id = logged_merges.absorbed_profile_id

),

newly_issued as (

    select
        current_profiles.profile_id as issued_profile_id,
        current_profiles.profile_id as current_profile_id,
        current_profiles.profile_created_at as issued_at
    from current_profiles
    left join mapped
        on current_profiles.profile_id = mapped.issued_profile_id
    where mapped.issued_profile_id is null

),

-- Only when the map is built after profiles were already absorbed.
absorbed_unmapped as (

    select
        logged_merges.absorbed_profile_id as issued_profile_id,
        logged_merges.surviving_profile_id as current_profile_id,
        cast(null as {{ dbt.type_timestamp() }}) as issued_at
    from logged_merges
    left join mapped
        on logged_merges.absorbed_profile_id = mapped.issued_profile_id
    where mapped.issued_profile_id is null

),

unioned as (

    select * from repointed
    union all
    select * from newly_issued
    union all
    select * from absorbed_unmapped

),

final as (

    select
        cast(issued_profile_id as {{ dbt.type_string() }})
            as issued_profile_id,
        cast(current_profile_id as {{ dbt.type_string() }})
            as current_profile_id,
        cast(issued_at as {{ dbt.type_timestamp() }}) as issued_at,
        issued_profile_id <> current_profile_id as is_absorbed,
        cast(
            '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}'
            as {{ dbt.type_timestamp() }}
        ) as updated_at
    from unioned

)

select * from final
