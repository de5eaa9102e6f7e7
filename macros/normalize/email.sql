{#- Email addresses are trimmed and lower-cased (what every destination
    expects before hashing, see DOMAIN.md). A value that is not shaped like
    an address (one @, a dot in the domain, no spaces) is null; models keep
    a flag so that the bad input stays visible. -#}
{% macro email_pattern() -%}
^[a-z0-9!#$%&*+/=?^_`{|}~.''-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$
{%- endmacro %}

{% macro normalize_email(expression) -%}
    case
        when {{ regexp_contains('lower(trim(' ~ expression ~ '))',
                                email_pattern()) }}
            then lower(trim({{ expression }}))
    end
{%- endmacro %}

{#- True when a value was given but could not be used as an address. -#}
{% macro is_invalid_email(expression) -%}
    ({{ clean_text(expression) }} is not null
        and ({{ normalize_email(expression) }}) is null)
{%- endmacro %}
