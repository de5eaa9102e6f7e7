{#- For incremental marts: rows written before a person was erased stay in
    the table, since a run only rewrites what changed. Run this as a
    post-hook to delete every row naming an erased identifier, given as
    (identifier type, column) pairs:
      post_hook=["{{ delete_erased_rows([('anonymous_id', 'device_id')]) }}"]
    and declare the dependency in the model (a hook's ref is not seen when
    dbt orders the models):
      -- depends_on: {{ ref('int_privacy__erasure_registry') }}
    A table rebuilt in full needs no hook: its select leaves them out. -#}
{% macro delete_erased_rows(identifier_columns) %}
    delete from {{ this }}
    where
    {%- for identifier_type, column in identifier_columns %}
        {{ 'or ' if not loop.first }}{{ sha256_hex(identity_node(
            "'" ~ identifier_type ~ "'", column)) }} in (
            select identifier_key
            from {{ ref('int_privacy__erasure_registry') }}
        )
    {%- endfor %}
{% endmacro %}
