{#- Checks the identity rule seeds (seeds/identity/) and fails the build
    with every problem found, each naming the file and the row's key, so
    that a rule that cannot be read never runs half-applied. Called at the
    start of int_identity__identifiers, the first identity model; it reads
    the seeds as built, so it runs only when dbt executes (not at parse),
    only once the seeds exist, and not in a unit test (whose refs are
    fixtures, not the seeds). -#}
{% macro validate_identity_rules() %}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set types_relation = ref('identity_identifier_types') -%}
    {%- set blocked_relation = ref('identity_blocked_values') -%}
    {%- set overrides_relation = ref('identity_link_overrides') -%}
    {%- for relation in [types_relation, blocked_relation,
                         overrides_relation] -%}
        {%- if load_relation(relation) is none -%}
            {{ return('') }}
        {%- endif -%}
    {%- endfor -%}

    {%- set errors = [] -%}
    {%- set types_file = identity_rules_seed_path(
        'identity_identifier_types') -%}
    {%- set blocked_file = identity_rules_seed_path(
        'identity_blocked_values') -%}
    {%- set overrides_file = identity_rules_seed_path(
        'identity_link_overrides') -%}
    {%- set type_pattern = modules.re.compile('^[a-z][a-z0-9_]*$') -%}

    {%- set types = run_query(
        'select identifier_type, priority, max_per_profile, description'
        ~ ' from ' ~ types_relation) -%}
    {%- set known_types = [] -%}
    {%- set priorities = [] -%}
    {%- for row in types.rows -%}
        {%- set key = row['identifier_type'] -%}
        {%- if key is none or not type_pattern.match(key) -%}
            {%- do errors.append(types_file ~ ": identifier_type '" ~ key
                ~ "' must be lower snake case") -%}
        {%- elif key in known_types -%}
            {%- do errors.append(types_file ~ ": identifier_type '" ~ key
                ~ "' is listed twice") -%}
        {%- endif -%}
        {%- do known_types.append(key) -%}
        {%- if row['priority'] is none or row['priority'] < 1 -%}
            {%- do errors.append(types_file ~ ": priority of '" ~ key
                ~ "' must be a whole number of 1 or more") -%}
        {%- elif row['priority'] in priorities -%}
            {%- do errors.append(types_file ~ ": priority "
                ~ row['priority'] ~ " of '" ~ key ~ "' is used by another"
                ~ " type; priorities must be unique") -%}
        {%- endif -%}
        {%- do priorities.append(row['priority']) -%}
        {%- if row['max_per_profile'] is not none
               and row['max_per_profile'] < 1 -%}
            {%- do errors.append(types_file ~ ": max_per_profile of '"
                ~ key ~ "' must be empty (no limit) or 1 or more") -%}
        {%- endif -%}
        {%- if not row['description'] -%}
            {%- do errors.append(types_file ~ ": identifier_type '" ~ key
                ~ "' has no description") -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set blocked = run_query(
        'select identifier_type, match_type, value, reason from '
        ~ blocked_relation) -%}
    {%- for row in blocked.rows -%}
        {%- set key = "value '" ~ row['value'] ~ "'" -%}
        {%- if row['match_type'] not in ['exact', 'regex'] -%}
            {%- do errors.append(blocked_file ~ ": match_type '"
                ~ row['match_type'] ~ "' for " ~ key
                ~ " must be exact or regex") -%}
        {%- endif -%}
        {%- if row['identifier_type'] != '*'
               and row['identifier_type'] not in known_types -%}
            {%- do errors.append(blocked_file ~ ": identifier_type '"
                ~ row['identifier_type'] ~ "' for " ~ key ~ " is not in "
                ~ types_file ~ " (or '*' for every type)") -%}
        {%- endif -%}
        {%- if not row['value'] -%}
            {%- do errors.append(blocked_file ~ ": a rule for identifier"
                ~ " type '" ~ row['identifier_type'] ~ "' has no value") -%}
        {%- endif -%}
        {%- if not row['reason'] -%}
            {%- do errors.append(blocked_file ~ ": " ~ key
                ~ " has no reason") -%}
        {%- endif -%}
    {%- endfor -%}

    {#- The warehouse that will run a pattern is the one to judge it: the
        regex dialects of DuckDB (RE2) and Postgres differ at the edges. -#}
    {%- set bad_patterns = run_query(
        'select identifier_type, value, problem from'
        ~ ' (select identifier_type, value, '
        ~ identity_regex_error('value') ~ ' as problem from '
        ~ blocked_relation ~ " where match_type = 'regex') as patterns"
        ~ ' where problem is not null order by identifier_type, value') -%}
    {%- for row in bad_patterns.rows -%}
        {%- do errors.append(blocked_file ~ ": regex value '" ~ row['value']
            ~ "' for type '" ~ row['identifier_type']
            ~ "' is not a valid pattern on " ~ target.type ~ " ("
            ~ row['problem'] ~ "); fix it (escape a literal ( [ { . + * ?"
            ~ " with a backslash or [ ]) or use match_type exact") -%}
    {%- endfor -%}

    {%- set overrides = run_query(
        'select action, identifier_type_a, identifier_value_a,'
        ~ ' identifier_type_b, identifier_value_b, reason from '
        ~ overrides_relation) -%}
    {%- for row in overrides.rows -%}
        {%- set key = "pair '" ~ row['identifier_type_a'] ~ ':'
            ~ row['identifier_value_a'] ~ "' - '" ~ row['identifier_type_b']
            ~ ':' ~ row['identifier_value_b'] ~ "'" -%}
        {%- if row['action'] not in ['do_not_link', 'force_link'] -%}
            {%- do errors.append(overrides_file ~ ": action '"
                ~ row['action'] ~ "' for " ~ key
                ~ " must be do_not_link or force_link") -%}
        {%- endif -%}
        {%- for side in ['a', 'b'] -%}
            {%- if row['identifier_type_' ~ side] not in known_types -%}
                {%- do errors.append(overrides_file ~ ": identifier_type_"
                    ~ side ~ " '" ~ row['identifier_type_' ~ side]
                    ~ "' for " ~ key ~ " is not in " ~ types_file) -%}
            {%- endif -%}
            {%- if not row['identifier_value_' ~ side] -%}
                {%- do errors.append(overrides_file ~ ": identifier_value_"
                    ~ side ~ " for " ~ key ~ " is empty") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if row['identifier_type_a'] == row['identifier_type_b']
               and row['identifier_value_a'] == row['identifier_value_b'] -%}
            {%- do errors.append(overrides_file ~ ": " ~ key
                ~ " links an identifier to itself") -%}
        {%- endif -%}
        {%- if not row['reason'] -%}
            {%- do errors.append(overrides_file ~ ": " ~ key
                ~ " has no reason") -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The identity rules cannot be applied; fix these rows:\n  "
            ~ errors | join('\n  ')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- The path of a seed of this project, as its author knows it. -#}
{% macro identity_rules_seed_path(seed_name) %}
    {%- set node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ seed_name) -%}
    {{ return(node.original_file_path if node else seed_name) }}
{% endmacro %}

{#- One error per column of `required` missing from the seed's table,
    naming the file and the header it needs. Names are compared exactly,
    so that a header passes or fails alike on every warehouse. A check
    runs this first: its row queries cannot run without the columns. -#}
{% macro seed_header_errors(relation, seed_file, required) %}
    {%- set present = adapter.get_columns_in_relation(relation)
        | map(attribute='name') | list -%}
    {%- set errors = [] -%}
    {%- for column in required if column not in present -%}
        {%- do errors.append(seed_file ~ ": the header has no column '"
            ~ column ~ "'; the first line must name the columns "
            ~ required | join(',')) -%}
    {%- endfor -%}
    {{ return(errors) }}
{% endmacro %}
