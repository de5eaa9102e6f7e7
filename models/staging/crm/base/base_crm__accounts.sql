with

source as (

    select * from {{ source('crm', 'accounts') }}

),

parsed as (

    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('website') }} as website,
        {{ normalize_domain('website') }} as website_domain,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('employee_count') }} as employee_count_raw,
        {{ safe_cast_integer('employee_count') }} as employee_count,
        {{ clean_text('annual_revenue') }} as annual_revenue_raw,
        {{ safe_cast_decimal('annual_revenue') }} as annual_revenue,
        {{ clean_text('billing_country') }} as billing_country_raw,
        {{ normalize_country('billing_country') }} as country_code,
        {{ clean_text('owner_id') }} as owner_id,
        coalesce({{ safe_cast_boolean('is_deleted') }}, false) as is_deleted,
        {{ clean_text('created_at') }} as created_at_raw,
        {{ safe_cast_timestamp('created_at') }} as created_at,
        {{ safe_cast_timestamp('updated_at') }} as updated_at,
        {{ safe_cast_timestamp('_loaded_at') }} as _loaded_at,
        {{ row_to_json_text('source') }} as _raw_row
    from source

),

final as (

    select
        account_id,
        account_name,
        website,
        website_domain,
        website is not null and website_domain is null as has_invalid_website,
        industry,
        employee_count,
        employee_count_raw is not null and employee_count is null
            as has_invalid_employee_count,
        annual_revenue,
        annual_revenue_raw is not null and annual_revenue is null
            as has_invalid_annual_revenue,
        country_code,
        billing_country_raw is not null and country_code is null
            as has_invalid_country,
        owner_id,
        is_deleted,
        created_at,
        created_at_raw is not null and created_at is null
            as has_invalid_created_at,
        updated_at,
        _loaded_at,
        account_id as _natural_key,
        case
            when account_id is null then 'missing_key'
            when updated_at is null then 'invalid_timestamp'
        end as _reject_reason,
        _raw_row
    from parsed

)

select * from final
