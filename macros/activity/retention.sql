{#- The data classes the activity marts keep, each with its retention
    window in seeds/governance/retention_windows.csv. -#}
{% macro retention_data_classes() -%}
    {{ return([
        'web_events', 'email_events', 'orders', 'service_cases',
        'crm_activities',
    ]) }}
{%- endmacro %}

{#- True while a row of the data class is inside its retention window:
    its time is no older than retention_days before the as-of time. The
    model imports the seed as a CTE (windows_cte); a class missing from the
    seed never gets here, validate_retention_windows() stops the build.
    The seed holds retention_days as written (text), so the cast is safe
    only once the check has passed. -#}
{% macro is_within_retention(time_column, data_class,
                             windows_cte='retention_windows') -%}
    {{ time_column }} >= (
        select {{ dbt.dateadd(
            'day',
            '-1 * cast(retention_window.retention_days as '
                ~ dbt.type_int() ~ ')',
            cdp_as_of()) }}
        from {{ windows_cte }} as retention_window
        where retention_window.data_class = '{{ data_class }}'
    )
{%- endmacro %}

{#- Checks seeds/governance/retention_windows.csv and fails the build with
    every problem found, each naming the file, the data class and the fix.
    Runs when dbt executes a model (not at parse, not in a unit test) and
    only once the seed exists. -#}
{% macro validate_retention_windows() %}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relation = ref('retention_windows') -%}
    {%- if load_relation(relation) is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set file = identity_rules_seed_path('retention_windows') -%}
    {%- set errors = seed_header_errors(relation, file,
        ['data_class', 'retention_days', 'description']) -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The retention windows cannot be read; fix the header:\n  "
            ~ errors | join('\n  ')) }}
    {%- endif -%}
    {%- set known_classes = retention_data_classes() -%}
    {%- set whole_number = modules.re.compile('^[0-9]+$') -%}
    {%- set rows = run_query(
        'select data_class, retention_days, description from '
        ~ relation).rows -%}
    {%- set seen = [] -%}
    {%- for row in rows -%}
        {%- set key = "data_class '" ~ row['data_class'] ~ "'" -%}
        {%- if row['data_class'] not in known_classes -%}
            {%- do errors.append(file ~ ": " ~ key
                ~ " is not a class the marts keep; use one of "
                ~ known_classes | join(', ')) -%}
        {%- elif row['data_class'] in seen -%}
            {%- do errors.append(file ~ ": " ~ key
                ~ " is listed twice; keep one row per class") -%}
        {%- endif -%}
        {%- do seen.append(row['data_class']) -%}
        {%- set days = row['retention_days'] -%}
        {#- Loaded as text, so that 30.5 or '90 days' is reported here
            instead of being rounded or refused by the seed loader. -#}
        {%- if days is none or not whole_number.match(days)
               or days | int < 1 -%}
            {%- do errors.append(file ~ ": retention_days of " ~ key
                ~ " is '" ~ (days if days is not none else '')
                ~ "'; write a whole number of days, 1 or more") -%}
        {%- endif -%}
        {%- if not row['description'] -%}
            {%- do errors.append(file ~ ": " ~ key
                ~ " has no description; say what it holds and why") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for data_class in known_classes if data_class not in seen -%}
        {%- do errors.append(file ~ ": no row for data_class '"
            ~ data_class ~ "'; add one with its retention_days") -%}
    {%- endfor -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The retention windows cannot be applied; fix these rows:\n  "
            ~ errors | join('\n  ')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- A post-hook for incremental marts: deletes the rows that have aged
    out of the retention window since they were written, which an
    incremental run would otherwise never revisit. -#}
{% macro delete_outside_retention(time_column, data_class) -%}
    delete from {{ this }}
    where not {{ is_within_retention(time_column, data_class,
        windows_cte=ref('retention_windows')) }}
{%- endmacro %}
