with

list_memberships as (

    select * from {{ ref('base_esp__list_memberships') }}
    where _reject_reason is null

),

-- Each export appends the membership as it then was: the latest edit is the
-- current state, the latest load breaks a tie, the row itself a last tie.
ranked as (

    select
        *,
        row_number() over (
            partition by subscriber_id, list_id
            order by updated_at desc, _loaded_at desc, _raw_row desc
        ) as version_rank
    from list_memberships

),

final as (

    select
        {{ dbt.hash(dbt.concat(['subscriber_id', "'|'", 'list_id'])) }}
            as list_membership_id,
        subscriber_id,
        list_id,
        list_name,
        status,
        has_invalid_status,
        subscribed_at,
        has_invalid_subscribed_at,
        unsubscribed_at,
        has_invalid_unsubscribed_at,
        updated_at,
        _loaded_at
    from ranked
    where version_rank = 1

)

select * from final
