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

{#- What an email shares with every email-shaped word it is part of: the
    last character before the @ and the first label of the domain (an
    address always has a dot after it). Joining on it finds the words an
    erased email may sit inside without trying every pair. -#}
{% macro email_match_key(expression) -%}
    {{ dbt.concat([
        dbt.right(dbt.split_part(expression, "'@'", 1), 1),
        "'@'",
        dbt.split_part(dbt.split_part(expression, "'@'", 2), "'.'", 1)]) }}
{%- endmacro %}
