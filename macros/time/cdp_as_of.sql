{#- The moment "now" means for windows such as "engaged in the last 90
    days": the var cdp_as_of when it is set (a timestamp literal such as
    '2026-11-30 23:59:59', UTC), else the start of the dbt run in UTC
    (run_started_at: one value for every model of a run, and UTC whatever
    the warehouse session's time zone).
    Set it to rebuild a past state, or to pin a synthetic sample whose
    data ends before today:
      dbt build --vars '{cdp_as_of: "2026-11-30 23:59:59"}'
    Always a timestamp without time zone, so it compares with staged
    times on every warehouse. -#}
{% macro cdp_as_of() %}
    {%- set as_of = var('cdp_as_of', none) -%}
    {%- if as_of is none or (as_of | string | trim) in ['', 'none', 'None'] -%}
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}'
            as {{ dbt.type_timestamp() }})
    {%- else -%}
        {%- if not modules.re.match(
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?$',
                as_of | string) -%}
            {{ exceptions.raise_compiler_error(
                "var cdp_as_of (dbt_project.yml or --vars): '" ~ as_of
                ~ "' is not a timestamp; use 'YYYY-MM-DD' or"
                ~ " 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it empty for"
                ~ " the start of the run") }}
        {%- endif -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- endif -%}
{% endmacro %}
