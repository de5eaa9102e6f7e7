{#- Reading an IAB TCF v2 TC string's purpose consents in SQL, on any
    warehouse. The core segment is base64url text; its purpose-consent
    bitfield (purposes 1 to 24, one bit each) starts at bit 152, after
    version, Created, LastUpdated, CMP id and version, consent screen,
    language, vendor-list and policy versions, two flags and 12 special
    feature bits. Bits 150-179 are exactly characters 26-30, so purpose n is
    bit n + 1 (from 0, most significant first) of those five characters. -#}

{% macro tcf_base64url_alphabet() -%}
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
{%- endmacro %}

{#- True when the string can be read: version 2 (first character C) and
    at least the 30 characters that hold the purpose bits, all base64url.
    A string that fails is kept and flagged, never guessed. -#}
{% macro tcf_is_readable(expression) -%}
    coalesce({{ regexp_contains(expression, '^C[A-Za-z0-9_-]{29}') }}, false)
{%- endmacro %}

{#- Whether purpose `purpose_number` (1-24) has consent: true or false, or
    null when the string cannot be read. -#}
{% macro tcf_purpose_consent(expression, purpose_number) -%}
    {%- set bit = purpose_number + 1 -%}
    {%- set character = 26 + (bit // 6) -%}
    {%- set weight = 2 ** (5 - (bit % 6)) -%}
    case
        when {{ tcf_is_readable(expression) }}
            then mod(
                cast(floor(
                    ({{ dbt.position(
                        'substr(' ~ expression ~ ', ' ~ character ~ ', 1)',
                        tcf_base64url_alphabet()) }} - 1)
                    / {{ weight }}.0
                ) as integer),
                2
            ) = 1
    end
{%- endmacro %}
