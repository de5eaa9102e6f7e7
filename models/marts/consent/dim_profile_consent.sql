with

consent_events as (

    select * from {{ ref('fct_consent_events') }}

),

profile_identifiers as (

    select * from {{ ref('dim_profile_identifiers') }}

),

purposes as (

    select * from {{ ref('consent_purposes') }}

),

regional_defaults as (

    select * from {{ ref('consent_regional_defaults') }}

),

erased_profiles as (

    select * from {{ ref('int_privacy__erased_profiles') }}

),

golden_profiles as (

    select * from {{ ref('dim_profiles') }}

),

jurisdictions as (

    select * from {{ ref('consent_jurisdictions') }}

),

profiles as (

    select distinct profile_identifiers.profile_id
    from profile_identifiers
    left join erased_profiles
        on profile_identifiers.profile_id = erased_profiles.profile_id
    where erased_profiles.profile_id is null

),

-- Choices made after the as-of time (cdp_as_of) do not exist yet: a past
-- state can be rebuilt.
choices as (

    select * from consent_events
    where
        profile_id is not null
        and purpose is not null
        and captured_at <= {{ cdp_as_of() }}

),

-- The latest explicit choice wins, across every identifier and source of
-- the profile; at the same moment a denial beats a grant (so a purpose
-- that needs several signals of one event, like TCF purposes 3 and 4, is
-- granted only when all of them are). Source and event id only make the
-- order total.
ranked_choices as (

    select
        *,
        row_number() over (
            partition by profile_id, purpose
            order by
                captured_at desc,
                case when consent_status = 'denied' then 0 else 1 end,
                source_name asc,
                consent_event_id asc
        ) as choice_rank
    from choices

),

latest_choices as (

    select * from ranked_choices
    where choice_rank = 1

),

-- The regional defaults of the profile follow the latest signal that
-- said where the person is; else the golden country of the profile; with
-- neither, the strictest group (other).
ranked_locations as (

    select
        profile_id,
        jurisdiction_group,
        row_number() over (
            partition by profile_id
            order by captured_at desc, consent_event_id asc
        ) as location_rank
    from choices
    where jurisdiction_group is not null

),

profile_jurisdictions as (

    select
        profiles.profile_id,
        coalesce(
            ranked_locations.jurisdiction_group,
            jurisdictions.jurisdiction_group,
            'other'
        ) as jurisdiction_group
    from profiles
    left join ranked_locations
        on
            profiles.profile_id = ranked_locations.profile_id
            and ranked_locations.location_rank = 1
    left join golden_profiles
        on profiles.profile_id = golden_profiles.profile_id
    left join jurisdictions
        on
            jurisdictions.match_type = 'country'
            and golden_profiles.country_code = jurisdictions.code

),

grid as (

    select
        profile_jurisdictions.profile_id,
        profile_jurisdictions.jurisdiction_group,
        purposes.purpose
    from profile_jurisdictions
    cross join purposes

),

-- A grant lapses after cdp_consent_expiry_days; a denial does not (a
-- stale refusal never turns into a permission on its own).
decided as (

    select
        grid.profile_id,
        grid.purpose,
        grid.jurisdiction_group,
        latest_choices.consent_event_id,
        latest_choices.source_name,
        latest_choices.signal_name,
        latest_choices.consent_status as latest_choice,
        latest_choices.captured_at as decided_at,
        case
            when latest_choices.consent_status = 'granted'
                then {{ dbt.dateadd('day', consent_expiry_days(),
                                    'latest_choices.captured_at') }}
        end as expires_at,
        regional_defaults.is_permitted_without_choice
    from grid
    left join latest_choices
        on
            grid.profile_id = latest_choices.profile_id
            and grid.purpose = latest_choices.purpose
    left join regional_defaults
        on
            grid.jurisdiction_group = regional_defaults.jurisdiction_group
            and grid.purpose = regional_defaults.purpose

),

statused as (

    select
        *,
        coalesce(expires_at <= {{ cdp_as_of() }}, false) as is_expired
    from decided

),

final as (

    select
        cast(profile_id as {{ dbt.type_string() }}) as profile_id,
        cast(purpose as {{ dbt.type_string() }}) as purpose,
        cast(
            case
                when latest_choice is null or is_expired then 'unknown'
                else latest_choice
            end as {{ dbt.type_string() }}
        ) as consent_status,
        case
            when latest_choice = 'denied' then false
            when latest_choice = 'granted' and not is_expired then true
            else coalesce(is_permitted_without_choice, false)
        end as is_permitted,
        cast(
            case
                when latest_choice = 'granted' and not is_expired
                    then 'consent'
                when latest_choice = 'denied' then 'none'
                when is_permitted_without_choice then 'opt_out_regime'
                else 'none'
            end as {{ dbt.type_string() }}
        ) as legal_basis,
        cast(
            case
                when latest_choice is null then 'regional_default'
                when is_expired then 'expired_choice'
                else 'explicit_choice'
            end as {{ dbt.type_string() }}
        ) as status_reason,
        cast(jurisdiction_group as {{ dbt.type_string() }})
            as jurisdiction_group,
        cast(source_name as {{ dbt.type_string() }}) as decided_by_source,
        cast(signal_name as {{ dbt.type_string() }}) as decided_by_signal,
        cast(consent_event_id as {{ dbt.type_string() }})
            as decided_by_consent_event_id,
        cast(decided_at as {{ dbt.type_timestamp() }}) as decided_at,
        cast(expires_at as {{ dbt.type_timestamp() }}) as expires_at,
        is_expired,
        cast({{ cdp_as_of() }} as {{ dbt.type_timestamp() }}) as as_of_at
    from statused

)

select * from final
