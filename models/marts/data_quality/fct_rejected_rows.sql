{#- Reads every base model listed in staged_tables(): a raw table added
    there is covered here without editing this file. -#}
with

rejected as (

    {% for staged in staged_tables() %}
        select
            '{{ staged.source }}' as source_name,
            '{{ staged.table }}' as table_name,
            _natural_key as natural_key,
            _reject_reason as reject_reason,
            _loaded_at as loaded_at,
            _raw_row as raw_row
        from {{ ref('base_' ~ staged.source ~ '__' ~ staged.table) }}
        where _reject_reason is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

hashed as (

    select
        *,
        {{ dbt.hash('raw_row') }} as raw_row_hash
    from rejected

),

-- The same unusable row can land twice; numbering the copies keeps one
-- stable id per landed row.
numbered as (

    select
        *,
        row_number() over (
            partition by source_name, table_name, raw_row_hash
            order by loaded_at
        ) as landing_number
    from hashed

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'source_name', "'|'", 'table_name', "'|'", 'raw_row_hash',
            "'|'", dbt.cast('landing_number', dbt.type_string())])) }}
            as rejected_row_id,
        source_name,
        table_name,
        natural_key,
        raw_row_hash,
        reject_reason,
        loaded_at,
        raw_row
    from numbered

)

select * from final
