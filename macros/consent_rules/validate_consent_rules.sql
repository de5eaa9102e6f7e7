{#- Checks the consent rule seeds (seeds/consent/) and the var
    cdp_consent_expiry_days, and fails the build with every problem found,
    each naming the file, the row's key and the fix, so that consent is
    never decided on rules that cannot be read. Called at the start of
    int_consent__signals, the first consent model; like the identity rule
    check it runs only when dbt executes, once the seeds exist, and not in
    unit tests. -#}
{% macro validate_consent_rules() %}
    {%- set errors = consent_expiry_days_errors() -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The consent rules cannot be applied; fix these:\n  "
            ~ errors | join('\n  ')) }}
    {%- endif -%}
    {%- if not execute or model.resource_type != 'model' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set seed_names = ['consent_purposes', 'consent_signal_purposes',
        'consent_jurisdictions', 'consent_regional_defaults',
        'suppression_legal_holds'] -%}
    {%- set files = {} -%}
    {%- for seed_name in seed_names -%}
        {%- if load_relation(ref(seed_name)) is none -%}
            {{ return('') }}
        {%- endif -%}
        {%- do files.update({seed_name: identity_rules_seed_path(seed_name)}) -%}
    {%- endfor -%}
    {%- set name_pattern = modules.re.compile('^[a-z][a-z0-9_]*$') -%}

    {%- set purposes = run_query(
        'select purpose, is_marketing, is_advertising, is_profiling,'
        ~ ' description from ' ~ ref('consent_purposes')) -%}
    {%- set known_purposes = [] -%}
    {%- for row in purposes.rows -%}
        {%- set key = row['purpose'] -%}
        {%- if key is none or not name_pattern.match(key) -%}
            {%- do errors.append(files['consent_purposes'] ~ ": purpose '"
                ~ key ~ "' must be lower snake case") -%}
        {%- elif key in known_purposes -%}
            {%- do errors.append(files['consent_purposes'] ~ ": purpose '"
                ~ key ~ "' is listed twice; keep one row") -%}
        {%- endif -%}
        {%- do known_purposes.append(key) -%}
        {%- for flag in ['is_marketing', 'is_advertising', 'is_profiling'] -%}
            {%- if row[flag] is none -%}
                {%- do errors.append(files['consent_purposes'] ~ ": " ~ flag
                    ~ " of '" ~ key ~ "' is empty; write true or false") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for required in consent_required_purposes() -%}
        {%- if required not in known_purposes -%}
            {%- do errors.append(files['consent_purposes'] ~ ": purpose '"
                ~ required ~ "' is missing; the consent marts and exports"
                ~ " need it, add a row") -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set known_sources = ['consent_mode', 'tcf', 'gpc',
        'preference_centre', 'crm', 'esp', 'shop', 'privacy_request'] -%}
    {%- set signals = run_query(
        'select source_name, signal_name, purpose, effect from '
        ~ ref('consent_signal_purposes')) -%}
    {%- for row in signals.rows -%}
        {%- set key = "row '" ~ row['source_name'] ~ ',' ~ row['signal_name'] ~ ','
            ~ row['purpose'] ~ "'" -%}
        {%- if row['source_name'] not in known_sources -%}
            {%- do errors.append(files['consent_signal_purposes'] ~ ": "
                ~ key ~ ": source must be one of "
                ~ known_sources | join(', ')) -%}
        {%- endif -%}
        {%- if row['purpose'] not in known_purposes -%}
            {%- do errors.append(files['consent_signal_purposes'] ~ ": "
                ~ key ~ ": purpose is not in " ~ files['consent_purposes']
                ~ "; add it there or fix the spelling") -%}
        {%- endif -%}
        {%- if row['effect'] not in ['both', 'deny_only', 'grant_only'] -%}
            {%- do errors.append(files['consent_signal_purposes'] ~ ": "
                ~ key ~ ": effect '" ~ row['effect']
                ~ "' must be both, deny_only or grant_only") -%}
        {%- endif -%}
        {%- if row['source_name'] == 'tcf' and not modules.re.match(
                '^purpose_([1-9]|1[01])$', row['signal_name'] or '') -%}
            {%- do errors.append(files['consent_signal_purposes'] ~ ": "
                ~ key ~ ": a TCF signal is purpose_1 to purpose_11") -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set defaults = run_query(
        'select jurisdiction_group, purpose, is_permitted_without_choice'
        ~ ' from ' ~ ref('consent_regional_defaults')) -%}
    {%- set groups = {} -%}
    {%- for row in defaults.rows -%}
        {%- set key = "row '" ~ row['jurisdiction_group'] ~ ','
            ~ row['purpose'] ~ "'" -%}
        {%- if row['jurisdiction_group'] is none
               or not name_pattern.match(row['jurisdiction_group']) -%}
            {%- do errors.append(files['consent_regional_defaults'] ~ ": "
                ~ key ~ ": jurisdiction_group must be lower snake case") -%}
        {%- endif -%}
        {%- if row['purpose'] not in known_purposes -%}
            {%- do errors.append(files['consent_regional_defaults'] ~ ": "
                ~ key ~ ": purpose is not in " ~ files['consent_purposes']) -%}
        {%- endif -%}
        {%- if row['is_permitted_without_choice'] is none -%}
            {%- do errors.append(files['consent_regional_defaults'] ~ ": "
                ~ key ~ ": is_permitted_without_choice is empty; write"
                ~ " true (opt-out) or false (opt-in)") -%}
        {%- endif -%}
        {%- do groups.setdefault(row['jurisdiction_group'], []).append(
            row['purpose']) -%}
    {%- endfor -%}
    {%- if 'other' not in groups -%}
        {%- do errors.append(files['consent_regional_defaults'] ~ ": the"
            ~ " group 'other' is missing; it decides for people whose"
            ~ " jurisdiction is unknown: add a row per purpose") -%}
    {%- endif -%}
    {%- for group, listed in groups.items() -%}
        {%- for purpose in known_purposes -%}
            {%- if purpose not in listed -%}
                {%- do errors.append(files['consent_regional_defaults'] ~ ": "
                    ~ "group '" ~ group ~ "' has no row for purpose '"
                    ~ purpose ~ "'; add one") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}

    {%- set jurisdictions = run_query(
        'select match_type, code, jurisdiction_group from '
        ~ ref('consent_jurisdictions')) -%}
    {%- for row in jurisdictions.rows -%}
        {%- set key = "row '" ~ row['match_type'] ~ ',' ~ row['code'] ~ "'" -%}
        {%- if row['match_type'] not in ['country', 'law'] -%}
            {%- do errors.append(files['consent_jurisdictions'] ~ ": " ~ key
                ~ ": match_type must be country or law") -%}
        {%- elif row['match_type'] == 'country'
                 and not modules.re.match('^[A-Z]{2}$', row['code'] or '') -%}
            {%- do errors.append(files['consent_jurisdictions'] ~ ": " ~ key
                ~ ": a country code is two upper-case letters (ISO 3166-1)") -%}
        {%- elif row['match_type'] == 'law'
                 and not name_pattern.match(row['code'] or '') -%}
            {%- do errors.append(files['consent_jurisdictions'] ~ ": " ~ key
                ~ ": a law name is lower snake case, as staged") -%}
        {%- endif -%}
        {%- if row['jurisdiction_group'] not in groups -%}
            {%- do errors.append(files['consent_jurisdictions'] ~ ": " ~ key
                ~ ": jurisdiction_group '" ~ row['jurisdiction_group']
                ~ "' has no rows in " ~ files['consent_regional_defaults']) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set holds = run_query(
        'select profile_id, reason, placed_at, released_at from '
        ~ ref('suppression_legal_holds')) -%}
    {%- for row in holds.rows -%}
        {%- set key = "profile '" ~ row['profile_id'] ~ "'" -%}
        {%- if not row['profile_id'] -%}
            {%- do errors.append(files['suppression_legal_holds'] ~ ": a hold"
                ~ " has no profile_id; name the profile it applies to") -%}
        {%- endif -%}
        {%- if not row['reason'] -%}
            {%- do errors.append(files['suppression_legal_holds'] ~ ": "
                ~ key ~ " has no reason; say why and who asked") -%}
        {%- endif -%}
        {%- if row['placed_at'] is none -%}
            {%- do errors.append(files['suppression_legal_holds'] ~ ": "
                ~ key ~ " has no placed_at; give the UTC start time") -%}
        {%- elif row['released_at'] is not none
                 and row['released_at'] < row['placed_at'] -%}
            {%- do errors.append(files['suppression_legal_holds'] ~ ": "
                ~ key ~ " is released before it was placed") -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "The consent rules cannot be applied; fix these rows:\n  "
            ~ errors | join('\n  ')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- The purposes the marts and exports are built around: the seed may add
    purposes, never drop one of these. -#}
{% macro consent_required_purposes() %}
    {{ return(['analytics', 'personalization', 'email_marketing',
               'sms_marketing', 'ad_user_data', 'ad_personalization',
               'sale_share', 'profiling']) }}
{% endmacro %}

{#- Problems with the var cdp_consent_expiry_days (a list, empty when
    fine). -#}
{% macro consent_expiry_days_errors() %}
    {%- set days = var('cdp_consent_expiry_days', none) -%}
    {%- if days is none or not modules.re.match('^[0-9]+$', days | string)
           or (days | int) < 1 -%}
        {{ return(["var cdp_consent_expiry_days (dbt_project.yml or --vars):"
            ~ " '" ~ days ~ "' is not a whole number of days of 1 or more;"
            ~ " set it to how long an explicit grant lasts, e.g. 395"]) }}
    {%- endif -%}
    {{ return([]) }}
{% endmacro %}

{#- The expiry period, checked, as a number for SQL. -#}
{% macro consent_expiry_days() %}
    {%- if consent_expiry_days_errors() -%}
        {{ exceptions.raise_compiler_error(
            consent_expiry_days_errors()[0]) }}
    {%- endif -%}
    {{ return(var('cdp_consent_expiry_days') | int) }}
{% endmacro %}
