{#- The incremental window of an event model: on an incremental run, only
    raw rows loaded within the lookback (var cdp_incremental_lookback_hours,
    set once in dbt_project.yml) before the newest row already staged are
    read again. On a full build it adds nothing. -#}
{% macro incremental_window(loaded_at_column) -%}
    {%- if is_incremental() -%}
        {#- An existing but empty table has no newest row: read everything. -#}
        {{ loaded_at_column }} >= coalesce(
            (
                select {{ dbt.dateadd(
                    'hour',
                    -1 * var('cdp_incremental_lookback_hours') | int,
                    'max(' ~ loaded_at_column ~ ')') }}
                from {{ this }}
            ),
            {{ dbt.cast("'1900-01-01'", dbt.type_timestamp()) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- On an incremental run, keeps a key out of the batch when the target
    already holds that key from an earlier load: the first landing of an
    event wins, so a re-sent duplicate arriving days later changes nothing,
    exactly as on a full build. -#}
{% macro not_already_staged(batch_alias, key_column, loaded_at_column) -%}
    {%- if is_incremental() -%}
        not exists (
            select 1
            from {{ this }} as already_staged
            where already_staged.{{ key_column }}
                = {{ batch_alias }}.{{ key_column }}
                and already_staged.{{ loaded_at_column }}
                < {{ batch_alias }}.{{ loaded_at_column }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- The time an event happened: its own timestamp, unless that runs ahead
    of the receipt time by more than var cdp_future_tolerance_minutes (a
    client clock set in the future), in which case the receipt time. -#}
{% macro event_time(event_at, received_at) -%}
    case
        when {{ event_at }} > {{ dbt.dateadd(
                'minute', var('cdp_future_tolerance_minutes') | int,
                received_at) }}
            then {{ received_at }}
        else coalesce({{ event_at }}, {{ received_at }})
    end
{%- endmacro %}

{% macro is_future_dated(event_at, received_at) -%}
    coalesce({{ event_at }} > {{ dbt.dateadd(
        'minute', var('cdp_future_tolerance_minutes') | int,
        received_at) }}, false)
{%- endmacro %}
