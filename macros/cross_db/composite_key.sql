{#- One text key for a combination of nullable text columns, such that two
    combinations get the same key only when every column is equal (nulls
    equal to nulls). Each column becomes its length, a colon and its value,
    or a tilde when null, and the parts are joined by commas: the lengths
    make the key unambiguous whatever characters the values hold. Joining
    on it stays an equi-join, which every warehouse can hash (a join on
    "is not distinct from" per column cannot be hashed by Postgres). -#}
{% macro composite_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("','") -%}{%- endif -%}
        {%- do parts.append(
            "coalesce(" ~ dbt.concat([
                dbt.cast(dbt.length(column), dbt.type_string()),
                "':'", column]) ~ ", '~')") -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
