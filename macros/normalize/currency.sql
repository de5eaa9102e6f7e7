{#- An ISO 4217 currency code: trimmed, upper case, three letters. Any
    other value (a symbol, a name) is null; models flag it. -#}
{% macro normalize_currency(expression) -%}
    case
        when {{ regexp_contains('upper(trim(' ~ expression ~ '))',
                                '^[A-Z]{3}$') }}
            then upper(trim({{ expression }}))
    end
{%- endmacro %}
