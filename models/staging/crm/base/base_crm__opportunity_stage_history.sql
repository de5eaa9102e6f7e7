with

source as (

    select * from {{ source('crm', 'opportunity_stage_history') }}

),

parsed as (

    select
        {{ clean_text('history_id') }} as history_id,
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('stage_name') }} as stage_name_raw,
        {{ map_category('stage_name', opportunity_stage_aliases()) }}
            as stage_name,
        {{ clean_text('amount') }} as amount_raw,
        {{ safe_cast_decimal('amount') }} as amount,
        {{ safe_cast_timestamp('changed_at') }} as changed_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        history_id,
        opportunity_id,
        stage_name,
        stage_name_raw is not null and stage_name is null
            as has_invalid_stage_name,
        amount,
        amount_raw is not null and amount is null as has_invalid_amount,
        changed_at,
        _loaded_at,
        history_id as _natural_key,
        case
            when history_id is null or opportunity_id is null
                then 'missing_key'
            when changed_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
