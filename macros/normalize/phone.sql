{#- Phone numbers to E.164 ("+" and 8 to 15 digits).

    Rules, in order:
    1. "(0)" is dropped (the "+49 (0)30 ..." habit), then everything but
       digits and a leading "+".
    2. "+..." is already international; "00..." is the international
       prefix, read as "+".
    3. Otherwise the number is national and the record's country decides:
       its trunk prefix (usually "0") is removed and its calling code put
       in front. NANP numbers (US, CA) may also come as 11 digits with the
       leading 1.
    4. The result must have the country's length (national significant
       number), NANP numbers must not start an area code or exchange with
       0 or 1, and every number must pass the E.164 shape. Anything else,
       or a national number with no known country, is null: the models
       flag it instead of failing.

    Only the countries listed here can read national numbers; add a row to
    read more. -#}
{% macro phone_country_rules() -%}
    {#- country: [calling code, trunk prefix, min and max national length] -#}
    {{ return({
        'US': ['1', '', 10, 10], 'CA': ['1', '', 10, 10],
        'GB': ['44', '0', 9, 10], 'IE': ['353', '0', 7, 9],
        'DE': ['49', '0', 6, 11], 'AT': ['43', '0', 4, 12],
        'FR': ['33', '0', 9, 9], 'BE': ['32', '0', 8, 9],
        'NL': ['31', '0', 9, 9], 'ES': ['34', '', 9, 9],
        'IT': ['39', '', 6, 11], 'PT': ['351', '', 9, 9],
        'SE': ['46', '0', 7, 9], 'DK': ['45', '', 8, 8],
        'NO': ['47', '', 8, 8], 'FI': ['358', '0', 5, 10],
        'PL': ['48', '', 9, 9], 'CH': ['41', '0', 9, 9],
        'AU': ['61', '0', 9, 9],
    }) }}
{%- endmacro %}

{#- One value of the rule table per country, as a SQL case expression. -#}
{% macro _phone_rule_lookup(country_code, position) -%}
    case {{ country_code }}
    {%- for code, rule in phone_country_rules().items() %}
        when '{{ code }}' then {{ "'" ~ rule[position] ~ "'"
            if rule[position] is string else rule[position] }}
    {%- endfor %}
    end
{%- endmacro %}

{% macro normalize_phone(phone, country_code) -%}
    {%- set digits = regexp_replace_all(
        regexp_replace_all('trim(' ~ phone ~ ')', '[(]0[)]', ''),
        '[^0-9]', '') -%}
    {%- set calling_code = _phone_rule_lookup(country_code, 0) -%}
    {%- set trunk = _phone_rule_lookup(country_code, 1) -%}
    {%- set national -%}
        case
            when ({{ trunk }}) <> '' and {{ digits }} like ({{ trunk }}) || '%'
                then substring({{ digits }}, length({{ trunk }}) + 1)
            when ({{ calling_code }}) = '1' and length({{ digits }}) = 11
                    and {{ digits }} like '1%'
                then substring({{ digits }}, 2)
            else {{ digits }}
        end
    {%- endset -%}
    {%- set candidate -%}
        case
            when trim({{ phone }}) like '+%' then '+' || {{ digits }}
            when {{ digits }} like '00%' then '+' || substring({{ digits }}, 3)
            when length({{ national }})
                    between {{ _phone_rule_lookup(country_code, 2) }}
                    and {{ _phone_rule_lookup(country_code, 3) }}
                then '+' || ({{ calling_code }}) || {{ national }}
        end
    {%- endset -%}
    {#- Calling code 1 is NANP only, where area code and exchange cannot
        start with 0 or 1; every other calling code starts with 2-9. -#}
    case
        when {{ regexp_contains(candidate,
            '^[+](1[2-9][0-9]{2}[2-9][0-9]{6}|[2-9][0-9]{7,14})$') }}
            then {{ candidate }}
    end
{%- endmacro %}

{#- The national significant number of an E.164 phone: its digits after
    the calling code. Whatever way a person wrote the number ("+44 20 ...",
    "020 ...", "(0)20 ..."), these digits appear in a row once everything
    but digits is removed. Calling codes never begin with another code, so
    the codes of the rules above can be tried in any order. A number of
    another country loses the three digits after "+" (the longest a calling
    code can be): the tail of its national number, which matches at least
    every row the whole number would. -#}
{% macro phone_national_number(e164_phone) -%}
    {%- set calling_codes = phone_country_rules().values()
        | map('first') | unique | sort -%}
    case
    {%- for code in calling_codes %}
        when {{ e164_phone }} like '+{{ code }}%'
            then substring({{ e164_phone }}, {{ code | length + 2 }})
    {%- endfor %}
        else substring({{ e164_phone }}, 5)
    end
{%- endmacro %}

{#- True when a phone was given but could not be read. -#}
{% macro is_invalid_phone(phone, country_code) -%}
    ({{ clean_text(phone) }} is not null
        and ({{ normalize_phone(phone, country_code) }}) is null)
{%- endmacro %}
