{#- Run at the start of every invocation (on-run-start). Creates the helper
    functions a warehouse needs and lacks; most need none. -#}
{% macro create_udfs() -%}
    {{ return(adapter.dispatch('create_udfs', 'warehouse_cdp')()) }}
{%- endmacro %}

{% macro default__create_udfs() -%}
    select 1
{%- endmacro %}

{#- Postgres has no try_cast: the exception handler turns a value that
    passes the ISO shape check but is still impossible (2026-02-30) into
    null. The function pins its own time zone so that a value without an
    offset is read as UTC whatever the server's setting. -#}
{% macro postgres__create_udfs() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.cdp_try_timestamp(
        value text
    ) returns timestamp
    language plpgsql immutable
    set timezone = 'UTC'
    as $body$
    begin
        return value::timestamptz at time zone 'UTC';
    exception when others then
        return null;
    end
    $body$;
    {#- The reason a pattern is not a valid regular expression, or null:
        the identity rule check (validate_identity_rules) reads it. -#}
    create or replace function {{ target.schema }}.cdp_regex_error(
        pattern text
    ) returns text
    language plpgsql immutable
    as $body$
    begin
        perform '' ~ pattern;
        return null;
    exception when invalid_regular_expression then
        return sqlerrm;
    end
    $body$
{%- endmacro %}
