{#- Ephemeral on purpose: the values of erased identifiers are needed for
    one step only (finding them in free text), and must never be written
    to a table of their own. -#}
{{ config(materialized='ephemeral') }}

with

erasure_registry as (

    select * from {{ ref('int_privacy__erasure_registry') }}

),

identity_registry as (

    select * from {{ ref('int_identity__profile_registry') }}

),

privacy_requests as (

    select * from {{ ref('stg_privacy__requests') }}

),

-- Identifiers the graph still holds, and what a requester typed that no
-- source knew.
known_values as (

    select
        identifier_type,
        identifier_value
    from identity_registry
    union all
    select
        'email' as identifier_type,
        email as identifier_value
    from privacy_requests
    where email is not null
    union all
    select
        'phone' as identifier_type,
        phone as identifier_value
    from privacy_requests
    where phone is not null

),

final as (

    select distinct
        known_values.identifier_type,
        known_values.identifier_value
    from known_values
    inner join erasure_registry
        on
            erasure_registry.identifier_key = {{ sha256_hex(identity_node(
                'known_values.identifier_type',
                'known_values.identifier_value')) }}

)

select * from final
