{#- The values matched by the regex rules of identity_blocked_values, as a
    select of identifier_type, identifier_value, blocked_rule_identifier_type,
    blocked_rule_match_type ('regex') and blocked_rule_value: one row per
    value and rule it matches.

    values_cte holds distinct identifier_type, identifier_value pairs;
    rules_cte the rows of the seed. When a model runs, the seed's regex
    rules are read first and each pattern is written into the query as a
    literal, one branch per rule: a warehouse compiles a literal pattern
    once, where a pattern read from a column may be compiled again for
    every value (DuckDB does: at 1M profiles, 2.7M values against the
    bundled rules took 7.8 s joined to the seed and 0.06 s as literals).
    A unit test gives its rules as fixture rows, not the seed, and has them
    joined (as do a run before the seed exists and a seed without regex
    rules, where the join has nothing to try); the fixture model
    fixture_identity_rules__regex_forms checks that both forms agree.
    force_join=true asks for the join. -#}
{% macro identity_regex_rule_matches(values_cte, rules_cte, force_join=false) %}
    {%- set columns -%}
        {{ values_cte }}.identifier_type,
        {{ values_cte }}.identifier_value,
    {%- endset -%}
    {%- set rules = none -%}
    {%- if execute and not force_join and model.resource_type == 'model' -%}
        {%- set seed_relation = ref('identity_blocked_values') -%}
        {%- if load_relation(seed_relation) is not none -%}
            {%- set rules = run_query(
                "select identifier_type, value from " ~ seed_relation
                ~ " where match_type = 'regex'"
                ~ " order by identifier_type, value").rows -%}
        {%- endif -%}
    {%- endif -%}

    {%- if rules is none or rules | length == 0 %}
    select
        {{ columns }}
        {{ rules_cte }}.identifier_type as blocked_rule_identifier_type,
        {{ rules_cte }}.match_type as blocked_rule_match_type,
        {{ rules_cte }}.value as blocked_rule_value
    from {{ values_cte }}
    inner join {{ rules_cte }}
        on
            {{ rules_cte }}.match_type = 'regex'
            and {{ rules_cte }}.identifier_type
            in ({{ values_cte }}.identifier_type, '*')
            and {{ identity_regex_matches(
                values_cte ~ '.identifier_value',
                rules_cte ~ '.value') }}
    {%- else -%}
        {%- for rule in rules %}
    select
        {{ columns }}
        {{ identity_quoted_literal(rule['identifier_type']) }}
            as blocked_rule_identifier_type,
        {{ dbt.string_literal('regex') }} as blocked_rule_match_type,
        {{ identity_quoted_literal(rule['value']) }} as blocked_rule_value
    from {{ values_cte }}
    where
        {% if rule['identifier_type'] != '*' -%}
        {{ values_cte }}.identifier_type
        = {{ identity_quoted_literal(rule['identifier_type']) }}
        and
        {% endif -%}
        {{ identity_regex_matches(
            values_cte ~ '.identifier_value',
            identity_quoted_literal(rule['value'])) }}
            {%- if not loop.last %}
    union all
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}
{%- endmacro %}

{#- A text value as a SQL string literal, its single quotes doubled. -#}
{% macro identity_quoted_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
