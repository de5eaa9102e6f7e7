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
    seed never gets here, validate_retention_windows() stops the build. -#}
{% macro is_within_retention(time_column, data_class,
                             windows_cte='retention_windows') -%}
    {{ time_column }} >= (
        select {{ dbt.dateadd(
            'day', '-1 * retention_window.retention_days', cdp_as_of()) }}
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
    {%- set node = graph.nodes.get(
        'seed.' ~ project_name ~ '.retention_windows') -%}
    {%- set file = node.original_file_path if node
        else 'retention_windows' -%}
    {%- set rows = run_query(
        'select data_class, retention_days, description from '
        ~ relation).rows -%}
    {%- set errors = [] -%}
    {%- set seen = [] -%}
    {%- for row in rows -%}
        {%- set key = "data_class '" ~ row['data_class'] ~ "'" -%}
        {%- if row['data_class'] in seen -%}
            {%- do errors.append(file ~ ": " ~ key
                ~ " is listed twice; keep one row per class") -%}
        {%- endif -%}
        {%- do seen.append(row['data_class']) -%}
        {%- if row['retention_days'] is none
               or row['retention_days'] < 1 -%}
            {%- do errors.append(file ~ ": retention_days of " ~ key
                ~ " must be a whole number of days, 1 or more") -%}
        {%- endif -%}
        {%- if not row['description'] -%}
            {%- do errors.append(file ~ ": " ~ key
                ~ " has no description; say what it holds and why") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for data_class in retention_data_classes() -%}
        {%- if data_class not in seen -%}
            {%- do errors.append(file ~ ": no row for data_class '"
                ~ data_class ~ "'; add one with its retention_days") -%}
        {%- endif -%}
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
