{#- Trimmed text; an empty string or a placeholder that only means "no
    value" ('null', 'n/a', 'none', '-') becomes null. -#}
{% macro clean_text(expression) -%}
    case
        when lower(trim({{ expression }}))
            not in ('', 'null', 'n/a', 'na', 'none', '-')
            then trim({{ expression }})
    end
{%- endmacro %}

{#- A category value: trimmed, lower case, runs of spaces or dashes turned
    into one underscore ("Closed Won" -> closed_won). -#}
{% macro clean_category(expression) -%}
    {{ regexp_replace_all('lower(' ~ clean_text(expression) ~ ')',
                          '[[:space:]-]+', '_') }}
{%- endmacro %}
