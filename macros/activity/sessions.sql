{#- Seconds of inactivity that end a web session (var
    cdp_session_timeout_minutes), checked: a whole number of minutes, 1 or
    more, else the build stops naming the var and the fix. -#}
{% macro session_timeout_seconds() %}
    {%- set value = var('cdp_session_timeout_minutes') | string | trim -%}
    {%- if not value.isdigit() or value | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "dbt_project.yml: var cdp_session_timeout_minutes is '" ~ value
            ~ "'; set it to a whole number of minutes, 1 or more") }}
    {%- endif -%}
    {{ return(value | int * 60) }}
{% endmacro %}
