{#- Text compared byte by byte (code point order for UTF-8), whatever the
    database's own collation. The canonical label of a component is its
    smallest node, so every engine (SQL on any warehouse, Python) must
    agree on what "smallest" means: DuckDB, Python and most warehouses
    compare bytes already. -#}
{% macro binary_collation(expression) -%}
    {{ return(adapter.dispatch('binary_collation', 'warehouse_cdp')(
        expression)) }}
{%- endmacro %}

{% macro default__binary_collation(expression) -%}
    {{ expression }}
{%- endmacro %}

{#- Postgres compares text by the database collation (en_US or ICU put
    '_x' and 'apple' before 'Banana'); "C" compares bytes. -#}
{% macro postgres__binary_collation(expression) -%}
    ({{ expression }}) collate "C"
{%- endmacro %}
