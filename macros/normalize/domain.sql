{#- The bare domain of a website or URL as people type it ("https://WWW.
    Acme.com/about" -> acme.com): lower case, without scheme, leading
    "www.", port, path, query or trailing dot. The result must have the
    shape of an email domain (see email_pattern), so that the domain of a
    company's website and the domain of its people's emails compare as
    equal; anything else is null. -#}
{% macro normalize_domain(expression) -%}
    {%- set no_scheme = regexp_replace_all(
        'lower(' ~ clean_text(expression) ~ ')',
        '^([a-z][a-z0-9+.-]*:)?//', '') -%}
    {%- set host = regexp_replace_all(
        regexp_replace_all(
            regexp_replace_all(no_scheme, '^www[.]', ''),
            '[/?#:].*$', ''),
        '[.]$', '') -%}
    case
        when {{ regexp_contains(host,
            '^[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$') }}
            then {{ host }}
    end
{%- endmacro %}
