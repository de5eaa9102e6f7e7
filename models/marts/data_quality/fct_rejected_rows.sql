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

erased_values as (

    select * from {{ ref('int_privacy__erased_identifier_values') }}
    where identifier_type = 'email'

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

-- A row that names an erased person (their email anywhere in it, in any
-- case) keeps its place in the counts but loses its content.
erased_rows as (

    select distinct numbered.raw_row_hash
    from numbered
    inner join erased_values
        on
            {{ dbt.position('erased_values.identifier_value',
                            'lower(numbered.raw_row)') }} > 0

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            'numbered.source_name', "'|'", 'numbered.table_name', "'|'",
            'numbered.raw_row_hash', "'|'",
            dbt.cast('numbered.landing_number', dbt.type_string())])) }}
            as rejected_row_id,
        numbered.source_name,
        numbered.table_name,
        numbered.natural_key,
        numbered.raw_row_hash,
        numbered.reject_reason,
        numbered.loaded_at,
        case
            when erased_rows.raw_row_hash is not null
                then '{"redacted": "erased person"}'
            else numbered.raw_row
        end as raw_row
    from numbered
    left join erased_rows
        on numbered.raw_row_hash = erased_rows.raw_row_hash

)

select * from final
