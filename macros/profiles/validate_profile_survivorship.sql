{#- Checks seeds/profiles/profile_survivorship.csv and fails the build
    with every problem found, each naming the file, the attribute and the
    fix, so that a golden record is never chosen by a rule half read.
    Called at the start of int_profiles__golden_attributes; like
    validate_identity_rules it reads the seed as built, so it runs only
    when dbt executes a model (not at parse, not in a unit test) and only
    once the seed exists. -#}
{% macro validate_profile_survivorship() %}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relation = ref('profile_survivorship') -%}
    {%- if load_relation(relation) is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set seed_file = identity_rules_seed_path('profile_survivorship') -%}
    {%- set header_errors = seed_header_errors(relation, seed_file,
        ['attribute_name', 'rule', 'source_order', 'description']) -%}
    {%- if header_errors -%}
        {{ exceptions.raise_compiler_error(
            "The profile survivorship rules cannot be read; fix the"
            ~ " header:\n  " ~ header_errors | join('\n  ')) }}
    {%- endif -%}
    {%- set attribute_sources = profile_attribute_sources() -%}
    {%- set rules = profile_survivorship_rules() -%}
    {%- set source_pattern = modules.re.compile('^[a-z][a-z0-9_]*$') -%}
    {%- set errors = [] -%}
    {%- set seen = [] -%}

    {%- set result = run_query(
        'select attribute_name, rule, source_order, description from '
        ~ relation) -%}
    {%- for row in result.rows -%}
        {%- set key = row['attribute_name'] -%}
        {%- if key not in attribute_sources -%}
            {%- do errors.append(seed_file ~ ": attribute '" ~ key
                ~ "' is not a profile attribute; use one of "
                ~ attribute_sources.keys() | list | join(', ')) -%}
        {%- elif key in seen -%}
            {%- do errors.append(seed_file ~ ": attribute '" ~ key
                ~ "' is listed twice; keep one row per attribute") -%}
        {%- endif -%}
        {%- do seen.append(key) -%}
        {%- if row['rule'] not in rules -%}
            {%- do errors.append(seed_file ~ ": rule '" ~ row['rule']
                ~ "' of attribute '" ~ key ~ "' must be one of "
                ~ rules | join(', ')) -%}
        {%- endif -%}
        {%- set sources = (row['source_order'] or '').split('|') -%}
        {%- if row['rule'] == 'source_precedence'
               and not row['source_order'] -%}
            {%- do errors.append(seed_file ~ ": attribute '" ~ key
                ~ "' uses source_precedence but has no source_order;"
                ~ " list its sources, best first, separated by |") -%}
        {%- endif -%}
        {%- set listed = [] -%}
        {%- for source in sources if row['source_order'] -%}
            {%- if not source_pattern.match(source) -%}
                {%- do errors.append(seed_file ~ ": source_order of '"
                    ~ key ~ "' has an empty or malformed source '" ~ source
                    ~ "'; separate source names by | without spaces") -%}
            {%- elif key in attribute_sources
                     and source not in attribute_sources[key] -%}
                {%- do errors.append(seed_file ~ ": source '" ~ source
                    ~ "' in source_order of '" ~ key ~ "' offers no such"
                    ~ " attribute; use one of "
                    ~ attribute_sources[key] | join(', ')) -%}
            {%- elif source in listed -%}
                {%- do errors.append(seed_file ~ ": source '" ~ source
                    ~ "' is listed twice in source_order of '" ~ key
                    ~ "'") -%}
            {%- endif -%}
            {%- do listed.append(source) -%}
        {%- endfor -%}
        {%- if not row['description'] -%}
            {%- do errors.append(seed_file ~ ": attribute '" ~ key
                ~ "' has no description; say why the rule fits it") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for attribute in attribute_sources if attribute not in seen -%}
        {%- do errors.append(seed_file ~ ": attribute '" ~ attribute
            ~ "' has no rule; add a row for it") -%}
    {%- endfor -%}

    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The profile survivorship rules cannot be applied; fix these"
            ~ " rows:\n  " ~ errors | join('\n  ')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
