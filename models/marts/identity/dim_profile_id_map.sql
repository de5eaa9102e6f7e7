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

run_merges as (

    select * from {{ ref('fct_profile_merges') }}
    where invocation_id = '{{ invocation_id }}'

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

-- Ids that pointed at a profile absorbed in this run now point at its
-- survivor; each run resolves its merges to the final survivor, so one
-- step per run keeps every chain of merges flat.
repointed as (

    select
        mapped.issued_profile_id,
        run_merges.surviving_profile_id as current_profile_id,
        mapped.issued_at
    from mapped
    inner join run_merges
        on mapped.current_profile_id = run_merges.absorbed_profile_id

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
        run_merges.absorbed_profile_id as issued_profile_id,
        run_merges.surviving_profile_id as current_profile_id,
        cast(null as {{ dbt.type_timestamp() }}) as issued_at
    from run_merges
    left join mapped
        on run_merges.absorbed_profile_id = mapped.issued_profile_id
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
