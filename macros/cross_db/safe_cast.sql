{#- Casts that return null instead of failing, for raw text that may not
    parse. Staging turns a null from these into a reject reason or a flag,
    so a bad value never stops a build. DuckDB has try_cast; Postgres has
    none, so it gets small functions created by create_udfs(). -#}

{#- Accepted timestamp shape: ISO 8601 date, optional time, optional
    fraction, optional Z or numeric offset. Checked on every warehouse so
    that all of them accept and reject the same strings (Postgres alone
    would also read "12/31/2026" under its own DateStyle). -#}
{% macro iso_timestamp_pattern() -%}
^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$
{%- endmacro %}

{% macro safe_cast_timestamp(expression) -%}
    {{ return(adapter.dispatch('safe_cast_timestamp', 'warehouse_cdp')(
        expression)) }}
{%- endmacro %}

{% macro default__safe_cast_timestamp(expression) -%}
    case
        when {{ regexp_contains('trim(' ~ expression ~ ')',
                                iso_timestamp_pattern()) }}
            then cast(try_cast(trim({{ expression }}) as timestamp_tz)
                as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}

{#- A string without an offset is read as UTC: the profile pins the session
    time zone to UTC. -#}
{% macro duckdb__safe_cast_timestamp(expression) -%}
    case
        when {{ regexp_contains('trim(' ~ expression ~ ')',
                                iso_timestamp_pattern()) }}
            then timezone('UTC', try_cast(trim({{ expression }}) as timestamptz))
    end
{%- endmacro %}

{% macro postgres__safe_cast_timestamp(expression) -%}
    case
        when {{ regexp_contains('trim(' ~ expression ~ ')',
                                iso_timestamp_pattern()) }}
            then {{ target.schema }}.cdp_try_timestamp(trim({{ expression }}))
    end
{%- endmacro %}

{% macro safe_cast_date(expression) -%}
    cast({{ safe_cast_timestamp(expression) }} as date)
{%- endmacro %}

{#- Money and other decimals: a currency symbol, spaces and thousands
    separators are removed first ("$1,234.50" -> 1234.50); anything else that
    does not read as a plain decimal number, or has more integer digits than
    the type holds, gives null. -#}
{% macro safe_cast_decimal(expression, precision=18, scale=2) -%}
    {%- set cleaned = regexp_replace_all(
        'trim(cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ '))',
        '[$€£[:space:]]', '') -%}
    {%- set integer_digits = precision - scale -%}
    case
        when {{ regexp_contains(cleaned,
                '^-?[0-9]{1,3}(,[0-9]{3})*([.][0-9]+)?$|^-?[0-9]+([.][0-9]+)?$') }}
            and {{ regexp_contains("replace(" ~ cleaned ~ ", ',', '')",
                '^-?0*[0-9]{1,' ~ integer_digits ~ '}([.][0-9]+)?$') }}
            then cast(replace({{ cleaned }}, ',', '')
                as numeric({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{% macro safe_cast_integer(expression) -%}
    case
        when {{ regexp_contains('trim(' ~ expression ~ ')', '^-?[0-9]{1,18}$') }}
            then cast(trim({{ expression }}) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{#- true/false, t/f, yes/no, y/n, 1/0 in any case; anything else is null. -#}
{% macro safe_cast_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', 'yes', 'y', '1')
            then true
        when lower(trim({{ expression }})) in ('false', 'f', 'no', 'n', '0')
            then false
    end
{%- endmacro %}
