{#- SHA-256 of a text expression as 64 lower-case hex characters: the form
    ad platforms take for hashed identifiers, and the form the erasure
    tombstones keep. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'warehouse_cdp')(expression)) }}
{%- endmacro %}

{#- DuckDB (and Spark's sha2 aside, most warehouses) name it sha256 and
    return hex text. -#}
{% macro default__sha256_hex(expression) -%}
    lower(sha256({{ expression }}))
{%- endmacro %}

{#- Postgres hashes bytes and returns bytes. -#}
{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{#- Snowflake names it sha2. -#}
{% macro snowflake__sha256_hex(expression) -%}
    lower(sha2({{ expression }}, 256))
{%- endmacro %}

{#- BigQuery returns bytes. -#}
{% macro bigquery__sha256_hex(expression) -%}
    to_hex(sha256({{ expression }}))
{%- endmacro %}
