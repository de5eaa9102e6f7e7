{#- Counts the raw tables through source() on purpose, the one exception to
    "sources only in staging": the raw count must not depend on any model
    it checks. -#}
with

rejected as (

    select
        source_name,
        table_name,
        count(*) as rejected_rows
    from {{ ref('fct_rejected_rows') }}
    group by source_name, table_name

),

counted as (

    {% for staged in staged_tables() %}
        {%- set base = ref('base_' ~ staged.source ~ '__' ~ staged.table) %}
        select
            '{{ staged.source }}' as source_name,
            '{{ staged.table }}' as table_name,
            (
                select count(*)
                from {{ source(staged.source, staged.table) }}
            ) as raw_rows,
            (
                select count(*)
                from {{ ref('stg_' ~ staged.source ~ '__' ~ staged.table) }}
            ) as staged_rows,
            (
                select count(*) - count(distinct _natural_key)
                from {{ base }}
                where _reject_reason is null
            ) as duplicate_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        counted.source_name,
        counted.table_name,
        cast(counted.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(counted.staged_rows as {{ dbt.type_bigint() }}) as staged_rows,
        cast(coalesce(rejected.rejected_rows, 0) as {{ dbt.type_bigint() }})
            as rejected_rows,
        cast(counted.duplicate_rows as {{ dbt.type_bigint() }})
            as duplicate_rows,
        counted.raw_rows = counted.staged_rows
        + coalesce(rejected.rejected_rows, 0)
        + counted.duplicate_rows as is_reconciled
    from counted
    left join rejected
        on
            counted.source_name = rejected.source_name
            and counted.table_name = rejected.table_name

)

select * from final
