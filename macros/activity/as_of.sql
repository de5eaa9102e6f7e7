{#- The moment time windows are measured from ("last 30 days", retention
    windows, lifecycle recency): var cdp_as_of as a UTC timestamp, or the
    current time when it is null. Setting it makes a build reproducible,
    e.g. dbt build --vars '{cdp_as_of: "2026-12-01 00:00:00"}'. -#}
{% macro cdp_as_of() -%}
    {%- set as_of = var('cdp_as_of', none) -%}
    {%- if as_of is none or as_of | string | trim == '' -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- else -%}
        {%- set pattern = modules.re.compile(
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$') -%}
        {%- if not pattern.match(as_of | string | trim) -%}
            {{ exceptions.raise_compiler_error(
                "dbt_project.yml: var cdp_as_of is '" ~ as_of
                ~ "'; set it to a UTC time as YYYY-MM-DD or"
                ~ " YYYY-MM-DD HH:MM:SS, or to null for the time of the run") }}
        {%- endif -%}
        cast('{{ as_of | string | trim }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
