{#- Every raw table the staging layer reads. fct_rejected_rows and
    rpt_source_reconciliation are built from this list, so a new raw table
    is added here, next to its base_ and stg_ models.

    Each base_<source>__<table> model exposes the same bookkeeping columns:
    _natural_key (the key as text), _reject_reason (null when the row is
    usable), _loaded_at (when the row landed, UTC) and _raw_row (the landed
    row as JSON text). -#}
{% macro staged_tables() -%}
    {%- set tables = {
        'crm': [
            'contacts', 'accounts', 'leads', 'opportunities',
            'opportunity_stage_history', 'activities', 'cases'],
        'tracking': ['identifies', 'pages', 'tracks'],
        'esp': [
            'subscribers', 'list_memberships', 'sends', 'opens', 'clicks',
            'bounces', 'unsubscribes', 'complaints'],
        'shop': ['customers', 'orders', 'order_lines', 'products', 'refunds'],
        'offline': ['loyalty_members', 'store_transactions'],
        'consent': ['consent_events', 'preference_changes'],
        'privacy': ['requests'],
        'media': ['ad_performance'],
    } -%}
    {%- set staged = [] -%}
    {%- for source_name, table_names in tables.items() -%}
        {%- for table_name in table_names -%}
            {%- do staged.append({'source': source_name, 'table': table_name}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(staged) }}
{%- endmacro %}
