{#- Reads every base model listed in staged_tables(): a raw table added
    there is covered here without editing this file. -#}
{#- A JSON delimiter (quote, colon, comma, brace) with the spaces around
    it: what sets the values of a row apart. -#}
{%- set json_delimiters = '[[:space:]]*[":,{}][[:space:]]*' -%}
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

-- Finding erased people in free text. Emails and ids are found by
-- equality joins against the erased values, so that their cost grows with
-- the rows, not with rows times erased people; only phones, which can be
-- written in any format, are searched for as digits in each row.
landed_rows as (

    select
        raw_row_hash,
        raw_row,
        {{ regexp_replace_all('raw_row', json_delimiters, '"') }}
            as row_values,
        {{ regexp_replace_all('raw_row', '[^0-9]', '') }} as row_digits
    from numbered
    where landing_number = 1

),

-- The pieces between the quotes of a row once every JSON delimiter has
-- become a quote: each column name and whole value, whether the value
-- landed as a string (trimmed) or as a bare number, and whatever quotes
-- other values of the row hold.
value_pieces as (

    select
        raw_row_hash,
        value_piece
    from (
        select
            raw_row_hash,
            {{ split_to_rows('row_values', "'\"'") }} as value_piece
        from landed_rows
    ) as split
    where value_piece <> ''

),

-- Email-shaped words anywhere in a row, also inside longer text, with
-- the key an erased email found inside the word shares with it: the last
-- character before the @ and the first label of the domain.
email_words as (

    select
        raw_row_hash,
        email_word,
        {{ email_match_key('email_word') }} as match_key
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

erased_emails as (

    select
        identifier_value as email,
        {{ email_match_key('identifier_value') }} as match_key
    from erased_values
    where identifier_type = 'email'

),

-- An erased id as a row would hold it: the JSON string of its value in
-- the same delimiter-to-quote form, and that form without its quotes.
erased_ids as (

    select
        id_pattern,
        substring(id_pattern, 2, length(id_pattern) - 2) as id_value
    from (
        select distinct
            {{ regexp_replace_all(json_string_text('identifier_value'),
                                  json_delimiters, '"') }} as id_pattern
        from erased_values
        where identifier_type not in ('email', 'phone')
    ) as encoded

),

-- Distinct, so that each number is worked out once and not once per row
-- it is tried on.
erased_phones as (

    select distinct
        {{ phone_national_number('identifier_value') }} as national_number
    from erased_values
    where identifier_type = 'phone'

),

-- A row naming an erased person keeps its place in the counts but loses
-- its content: an erased email in any case, anywhere in the text;
-- an erased id as a whole value; an erased phone by the digits of its
-- national number anywhere among the digits of the row (a row whose
-- other digits happen to hold them is redacted too: the safe side).
erased_rows as (

    select value_pieces.raw_row_hash
    from value_pieces
    inner join erased_ids
        on value_pieces.value_piece = erased_ids.id_value
    union
    -- An id holding a delimiter of its own spans several pieces: a row
    -- holding its first piece is searched for the whole of it.
    select landed_rows.raw_row_hash
    from value_pieces
    inner join erased_ids
        on
            value_pieces.value_piece
            = {{ dbt.split_part('erased_ids.id_value', "'\"'", 1) }}
            and erased_ids.id_value like '%"%'
    inner join landed_rows
        on
            value_pieces.raw_row_hash = landed_rows.raw_row_hash
            and {{ dbt.position('erased_ids.id_pattern',
                                'landed_rows.row_values') }} > 0
    union
    select value_pieces.raw_row_hash
    from value_pieces
    inner join erased_values
        on
            lower(value_pieces.value_piece) = erased_values.identifier_value
            and erased_values.identifier_type = 'email'
    union
    select email_words.raw_row_hash
    from email_words
    inner join erased_emails
        on
            email_words.match_key = erased_emails.match_key
            and {{ dbt.position('erased_emails.email',
                                'email_words.email_word') }} > 0
    union
    select landed_rows.raw_row_hash
    from landed_rows
    inner join erased_phones
        on {{ dbt.position('erased_phones.national_number',
                           'landed_rows.row_digits') }} > 0

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
        -- A key can itself be an erased person's id.
        case
            when erased_rows.raw_row_hash is null then numbered.natural_key
        end as natural_key,
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
