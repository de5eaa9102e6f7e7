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

-- Finding erased people in free text. Every search below is an equality
-- join against the erased values, so that its cost grows with the rows,
-- not with rows times erased people.
landed_rows as (

    select
        raw_row_hash,
        raw_row
    from numbered
    where landing_number = 1

),

-- Every quoted text of a row's JSON (its column names and text values).
quoted_texts as (

    select
        raw_row_hash,
        trim(quoted_text) as quoted_text
    from (
        select
            raw_row_hash,
            {{ regexp_extract_each('raw_row', '"([^"]*)"') }} as quoted_text
        from landed_rows
    ) as extracted

),

-- Email-shaped words anywhere in a row, also inside longer text.
email_words as (

    select
        raw_row_hash,
        email_word
    from (
        select
            raw_row_hash,
            {{ regexp_extract_each(
                'lower(raw_row)',
                "([a-z0-9!#$%&*+/=?^_`{|}~.''-]+@[a-z0-9-]+(?:[.][a-z0-9-]+)+)"
            ) }} as email_word
        from landed_rows
    ) as extracted

),

-- Phone-shaped runs anywhere in a row (a digit, then digits, spaces,
-- brackets, dots or dashes, ending on a digit: 8 digits or more), known
-- by their last eight digits: enough to tell numbers apart, and the same
-- whether written with the country code, a trunk 0 or neither.
phone_words as (

    select
        raw_row_hash,
        {{ regexp_replace_all('phone_word', '[^0-9]', '') }} as digits
    from (
        select
            raw_row_hash,
            {{ regexp_extract_each(
                'raw_row', '([+]?[0-9][0-9 ().-]{6,}[0-9])') }} as phone_word
        from landed_rows
    ) as extracted

),

erased_phones as (

    select
        {{ dbt.right(regexp_replace_all('identifier_value', '[^0-9]', ''),
                     '8') }} as phone_key
    from erased_values
    where identifier_type = 'phone'

),

-- A row naming an erased person keeps its place in the counts but loses
-- its content: an erased email in any case, as a value or inside text;
-- an erased id as a whole value; an erased phone by its last eight
-- digits, as a value or inside text (a row holding another number that
-- ends alike is redacted too: the safe side).
erased_rows as (

    select quoted_texts.raw_row_hash
    from quoted_texts
    inner join erased_values
        on
            quoted_texts.quoted_text = erased_values.identifier_value
            and erased_values.identifier_type not in ('email', 'phone')
    union
    select quoted_texts.raw_row_hash
    from quoted_texts
    inner join erased_values
        on
            lower(quoted_texts.quoted_text) = erased_values.identifier_value
            and erased_values.identifier_type = 'email'
    union
    select email_words.raw_row_hash
    from email_words
    inner join erased_values
        on
            email_words.email_word = erased_values.identifier_value
            and erased_values.identifier_type = 'email'
    union
    select phone_words.raw_row_hash
    from phone_words
    inner join erased_phones
        on {{ dbt.right('phone_words.digits', '8') }} = erased_phones.phone_key
    where {{ dbt.length('phone_words.digits') }} >= 8

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
