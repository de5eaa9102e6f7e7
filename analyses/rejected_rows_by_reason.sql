-- Where the raw data is worst: rejected rows per source, table and reason,
-- with one example of each, to take back to the owner of the source.
-- Compile with `dbt compile --select rejected_rows_by_reason` and run the
-- SQL from target-<target>/compiled.
with

rejected as (

    select * from {{ ref('fct_rejected_rows') }}

),

summarised as (

    select
        source_name,
        table_name,
        reject_reason,
        count(*) as rejected_rows,
        min(raw_row) as example_raw_row
    from rejected
    group by source_name, table_name, reject_reason

),

final as (

    select * from summarised
    order by rejected_rows desc

)

select * from final
