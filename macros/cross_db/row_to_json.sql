{#- The whole row of a relation alias as JSON text, for keeping a rejected
    raw row exactly as it landed. -#}
{% macro row_to_json_text(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json_text', 'warehouse_cdp')(
        relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json_text(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__row_to_json_text(relation_alias) -%}
    cast(row_to_json({{ relation_alias }}) as {{ dbt.type_string() }})
{%- endmacro %}

{#- A text value written as the JSON string row_to_json_text() makes of it
    (quotes and escapes included), so that the value can be found in a raw
    row exactly as it was stored there. -#}
{% macro json_string_text(expression) -%}
    {{ return(adapter.dispatch('json_string_text', 'warehouse_cdp')(
        expression)) }}
{%- endmacro %}

{% macro default__json_string_text(expression) -%}
    cast(to_json(cast({{ expression }} as {{ dbt.type_string() }}))
        as {{ dbt.type_string() }})
{%- endmacro %}
