{#- The lifecycle thresholds in days (vars cdp_lapsed_after_days and
    cdp_churned_after_days), checked: both whole numbers above zero and
    lapsed before churned, else the build stops naming the var and the
    fix. -#}
{% macro lifecycle_thresholds() %}
    {%- set thresholds = {} -%}
    {%- for name in ['cdp_lapsed_after_days', 'cdp_churned_after_days'] -%}
        {%- set value = var(name) | string | trim -%}
        {%- if not value.isdigit() or value | int < 1 -%}
            {{ exceptions.raise_compiler_error(
                "dbt_project.yml: var " ~ name ~ " is '" ~ value
                ~ "'; set it to a whole number of days, 1 or more") }}
        {%- endif -%}
        {%- do thresholds.update({name: value | int}) -%}
    {%- endfor -%}
    {%- if thresholds['cdp_lapsed_after_days']
           >= thresholds['cdp_churned_after_days'] -%}
        {{ exceptions.raise_compiler_error(
            "dbt_project.yml: var cdp_lapsed_after_days ("
            ~ thresholds['cdp_lapsed_after_days']
            ~ ") must be smaller than cdp_churned_after_days ("
            ~ thresholds['cdp_churned_after_days'] ~ ")") }}
    {%- endif -%}
    {{ return({
        'lapsed': thresholds['cdp_lapsed_after_days'],
        'churned': thresholds['cdp_churned_after_days'],
    }) }}
{% endmacro %}
