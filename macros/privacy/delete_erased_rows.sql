{#- For incremental marts: rows written before a person was erased stay in
    the table, since a run only rewrites what changed. Run this as a
    post-hook to delete them:
      post_hook="{{ delete_erased_rows('profile_id') }}"
    and declare the dependency in the model (a hook's ref is not seen when
    dbt orders the models):
      -- depends_on: {{ ref('int_privacy__erased_profiles') }}
    A table rebuilt in full needs no hook: leaving the erased profiles out
    of its select is enough. -#}
{% macro delete_erased_rows(profile_column='profile_id') %}
    delete from {{ this }}
    where {{ profile_column }} in (
        select profile_id from {{ ref('int_privacy__erased_profiles') }}
    )
{% endmacro %}
