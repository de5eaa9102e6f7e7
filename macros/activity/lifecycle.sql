{#- A lifecycle threshold in days: 'lapsed' (var cdp_lapsed_after_days)
    or 'churned' (var cdp_churned_after_days). Both are checked every time:
    whole numbers above zero, lapsed before churned; else the build stops
    naming the var and the fix. -#}
{% macro lifecycle_threshold_days(stage) %}
    {%- set days = {} -%}
    {%- for name in ['lapsed', 'churned'] -%}
        {%- set var_name = 'cdp_' ~ name ~ '_after_days' -%}
        {%- set value = var(var_name) | string | trim -%}
        {%- if not value.isdigit() or value | int < 1 -%}
            {{ exceptions.raise_compiler_error(
                "dbt_project.yml: var " ~ var_name ~ " is '" ~ value
                ~ "'; set it to a whole number of days, 1 or more") }}
        {%- endif -%}
        {%- do days.update({name: value | int}) -%}
    {%- endfor -%}
    {%- if days['lapsed'] >= days['churned'] -%}
        {{ exceptions.raise_compiler_error(
            "dbt_project.yml: var cdp_lapsed_after_days (" ~ days['lapsed']
            ~ ") must be smaller than cdp_churned_after_days ("
            ~ days['churned'] ~ ")") }}
    {%- endif -%}
    {{ return(days[stage]) }}
{% endmacro %}
