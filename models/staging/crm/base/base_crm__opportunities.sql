with

source as (

    select * from {{ source('crm', 'opportunities') }}

),

parsed as (

    select
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('contact_id') }} as contact_id,
        {{ clean_text('opportunity_name') }} as opportunity_name,
        {{ clean_text('stage_name') }} as stage_name_raw,
        {{ map_category('stage_name', opportunity_stage_aliases()) }}
            as stage_name,
        {{ clean_text('amount') }} as amount_raw,
        {{ safe_cast_decimal('amount') }} as amount,
        {{ clean_text('currency') }} as currency_raw,
        {{ normalize_currency('currency') }} as currency,
        {{ clean_text('probability') }} as probability_raw,
        -- Some exports write the percent sign: "40%" is 40.
        {{ safe_cast_decimal("replace(probability, '%', '')") }}
            as probability_parsed,
        {{ clean_text('close_date') }} as close_date_raw,
        {{ safe_cast_date('close_date') }} as close_date,
        {{ safe_cast_boolean('is_closed') }} as is_closed_flag,
        {{ safe_cast_boolean('is_won') }} as is_won_flag,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

-- The stage decides whether a deal is closed and won, as it does in the
-- CRM itself; the exported flags only count when the stage is unknown.
derived as (

    select
        *,
        case
            when stage_name in ('closed_won', 'closed_lost') then true
            when stage_name is not null then false
            else is_closed_flag
        end as is_closed,
        case
            when stage_name = 'closed_won' then true
            when stage_name is not null then false
            else is_won_flag
        end as is_won,
        case
            when probability_parsed between 0 and 100
                then probability_parsed
        end as probability
    from parsed

),

final as (

    select
        opportunity_id,
        account_id,
        contact_id,
        opportunity_name,
        stage_name,
        stage_name_raw is not null and stage_name is null
            as has_invalid_stage_name,
        is_closed,
        is_won,
        amount,
        amount_raw is not null and amount is null as has_invalid_amount,
        currency,
        currency_raw is not null and currency is null as has_invalid_currency,
        probability,
        probability_raw is not null and probability is null
            as has_invalid_probability,
        close_date,
        close_date_raw is not null and close_date is null
            as has_invalid_close_date,
        is_deleted,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        _loaded_at,
        opportunity_id as _natural_key,
        case
            when opportunity_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from derived

)

select * from final
