"""Email service provider tables (Klaviyo- or Mailchimp-shaped): subscribers,
list memberships and one table per message event.

Campaigns go out twice a week from the start date on; each subscriber
receives a share of them between opting in and leaving. A subscriber leaves
by unsubscribing, by a hard bounce (the ESP then marks them "cleaned") or by
a spam complaint; the event that ends the subscription is in the event
tables, and the subscriber and list records get a new version.
"""

from __future__ import annotations

from cdp.synth import vocab
from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY, str_list
from cdp.synth.timeline import (
    entity_loaded,
    happened,
    landed,
    ordered,
    repeat_loaded,
    resent,
    resent_time,
)

CAMPAIGN_EVERY = 302_400  # seconds: two campaigns a week
SEND_SHARE = 0.13
LISTS = (
    ("4f8a1c2e9b", "Newsletter"),
    ("7d3e0b5a61", "Product updates"),
    ("c29b8e4f17", "Offers & promotions"),
)
CAMPAIGN_THEMES = (
    "Weekly picks",
    "New arrivals",
    "Weekend sale",
    "Back in stock",
    "Customer stories",
    "Product tips",
    "Members only",
    "Seasonal edit",
)
UNSUBSCRIBE_REASONS = (
    "",
    "",
    "too many emails",
    "no longer interested",
    "never signed up",
    "other",
)
CLICK_PATHS = (
    "/sale",
    "/new",
    "/products/trail-jacket",
    "/blog/care-guide",
    "/account/preferences",
    "/collections/outdoor",
)


def _campaign_id(k: str) -> str:
    return f"lower(lpad(to_hex(h2({k}, 0, 'campaign')), 16, '0'))[1:10]"


def _campaign_time(k: str) -> str:
    # Sent at 09:00 UTC on the campaign day, give or take an hour.
    return (
        f"({k} * {CAMPAIGN_EVERY} + 32400 + floor(u1({k}, 'campaign_jitter') "
        f"* 3600))::bigint"
    )


def _event(key: str, salt: str) -> str:
    return f"'evt_' || lower(lpad(to_hex(h2({key}, 0, '{salt}')), 16, '0'))"


def prepare(batch: Batch) -> list[str]:
    """Subscribers with their lifecycle, and the sends that reach them."""
    first = max(batch.span_start, 0)
    return [
        f"""
        create or replace temp table esp_subscribers as
        with base as (
            select p, subscriber_id, email, work_email, typo_email, alt_email,
                is_b2b, has_typo, uses_alt_email, country, mobile_grouped,
                first_name, last_name, act,
                (since + u1(p, 'optin') * 20 * {SECONDS_PER_DAY})::bigint as sub_t,
                u1(p, 'sub_end') as end_draw
            from people where is_subscriber
        )
        select *,
            case
                when end_draw < 0.08 then 'unsubscribed'
                when end_draw < 0.11 then 'cleaned'
                when end_draw < 0.12 then 'complained'
            end as end_kind,
            (greatest(sub_t, 0)
                + (1 + u1(p, 'end_t') * 420) * {SECONDS_PER_DAY})::bigint
                as end_t,
            case
                when is_b2b and u1(p, 'esp_work') < 0.3 then work_email
                when has_typo and u1(p, 'esp_typo') < 0.35 then typo_email
                when uses_alt_email then alt_email
                else email
            end as esp_email,
            u1(p, 'sms') < 0.2 as has_sms,
            u1(p, 'list2') < 0.4 as on_list_2,
            u1(p, 'list3') < 0.5 as on_list_3
        from base
        """,
        f"""
        create or replace temp table esp_sends as
        with bounds as (
            select *,
                -- A hard bounce happens on the first campaign after end_t;
                -- other endings stop the campaigns before end_t.
                case when end_kind = 'cleaned' then end_t // {CAMPAIGN_EVERY} + 1
                    when end_kind is not null then end_t // {CAMPAIGN_EVERY}
                    else 1000000 end as k_end
            from esp_subscribers
        ),
        candidates as (
            select *,
                unnest(range(
                    greatest(
                        ceil(greatest(sub_t, {first}) / {CAMPAIGN_EVERY}), 0)::bigint,
                    least(k_end + 1, ceil({batch.w1} / {CAMPAIGN_EVERY}))::bigint
                )) as k
            from bounds
        )
        select p, k, subscriber_id, esp_email, country, act, end_kind, end_t,
            {_campaign_time("k")} + (u2(p, k, 'send_jitter') * 1800)::bigint as send_t,
            end_kind = 'cleaned' and k = k_end as hard_bounce
        from candidates
        where (u2(p, k, 'receive') < {SEND_SHARE} * (0.6 + 0.4 * least(act, 2))
                or (end_kind = 'cleaned' and k = k_end))
            and (k < k_end or end_kind = 'cleaned')
        """,
    ]


def tables(batch: Batch) -> dict[str, str]:
    return {
        "subscribers": _subscribers(batch),
        "list_memberships": _list_memberships(batch),
        "sends": _sends(batch),
        "opens": _opens(batch),
        "clicks": _clicks(batch),
        "bounces": _bounces(batch),
        "unsubscribes": _unsubscribes(batch),
        "complaints": _complaints(batch),
    }


def _landing(batch: Batch, source: str, t: str, key: str, order: str) -> str:
    """Adds the load time and repeated landings of events; keeps this batch's."""
    resend_draw = f"u4({key}, {batch.tag}, 'resend')"
    again = repeat_loaded("loaded_t", "repeat", f"u4({key}, repeat, 'rl')")
    landed_t = (
        f"case when repeat = 2 then {resent_time(batch, resend_draw)} else {again} end"
    )
    return f"""
    with timed as (
        select *, {t} + load_delay(u3({key}, 'load')) as loaded_t
        from ({source})
        where {happened(batch, t)}
    ),
    rows as (
        select *,
            unnest(case when u3({key}, 'rep') < 0.012 then [0, 1] else [0] end
                || {resent(batch, "loaded_t", resend_draw)}) as repeat
        from timed
    )
    select *, {landed_t} as landed_t
    from rows
    where {landed(batch, landed_t)}
    {ordered(batch, order + ", repeat")}
    """


def _subscribers(batch: Batch) -> str:
    # Written at opt-in (pending first for double opt-in), at a profile
    # update, and when the subscription ends.
    steps = """
        case when u1(p, 'double_optin') < 0.1 then [-1, 0] else [0] end
        || case when u1(p, 'sub_update') < 0.3 then [1] else [] end
        || case when end_kind is not null then [2] else [] end
    """
    return f"""
    with stepped as (select *, unnest({steps}) as step from esp_subscribers),
    written as (
        select *,
            case step when -1 then sub_t - 3600 when 0 then sub_t
                when 1 then (greatest(sub_t, 0)
                    + u1(p, 'sub_update_t') * 200 * {SECONDS_PER_DAY})::bigint
                else end_t end as vt
        from stepped
        where step < 2 or end_t > sub_t
    ),
    rows as (
        select *, {entity_loaded("vt", "u2(p, step, 'sub_load')")} as loaded_t,
            unnest(case when u2(p, step, 'sub_rep') < 0.01 then [0, 1] else [0] end)
                as repeat
        from written
        where {happened(batch, "vt")}
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u3(p, step, repeat, 'sub_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess(subscriber_id, u2(p, step, 'sub_key')) as subscriber_id,
        email_mess(esp_email, u2(p, step, 'sub_email')) as email,
        case when has_sms
            then phone_mess(country, mobile_grouped, u2(p, step, 'sub_phone')) end
            as phone,
        case when step >= 1 or u1(p, 'sub_named') < 0.7 then first_name end
            as first_name,
        case when step >= 1 or u1(p, 'sub_named') < 0.6 then last_name end
            as last_name,
        case when step >= 1 or u1(p, 'sub_country') < 0.8
            then country_mess(country, u2(p, step, 'sub_country_fmt')) end as country,
        case when step = -1 then 'pending'
            when step = 2 then case when u2(p, step, 'status_case') < 0.2
                then upper(end_kind) else end_kind end
            when u2(p, step, 'status_case') < 0.1 then 'Subscribed'
            else 'subscribed' end as email_status,
        case when has_sms then case when step = 2 and end_kind = 'unsubscribed'
            then 'unsubscribed' else 'subscribed' end end as sms_status,
        iso(sub_t) as created_at,
        ts_mess(vt, u2(p, step, 'sub_upd'), iso(vt), utc_offset(country)) as updated_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, step, repeat")}
    """


def _list_memberships(batch: Batch) -> str:
    list_ids = str_list(list_id for list_id, _ in LISTS)
    list_names = str_list(name for _, name in LISTS)
    return f"""
    with lists as (
        select *, unnest([0]
            || case when on_list_2 then [1] else [] end
            || case when on_list_3 then [2] else [] end) as l
        from esp_subscribers
    ),
    left_list as (
        select *,
            -- Besides leaving everything, some leave just the offers list.
            case when end_kind is not null then end_t
                when l = 2 and u1(p, 'leave_offers') < 0.15
                    then (greatest(sub_t, 0)
                        + u1(p, 'leave_offers_t') * 300 * 86400)::bigint
            end as left_t
        from lists
    ),
    stepped as (
        select *, unnest(case when left_t > sub_t then [0, 1] else [0] end) as step
        from left_list
    ),
    written as (
        select *,
            case when step = 0 then sub_t + (l * 60)::bigint else left_t end as vt
        from stepped
    ),
    rows as (
        select *, {entity_loaded("vt", "u3(p, l, step, 'lm_load')")} as loaded_t,
            unnest(case when u3(p, l, step, 'lm_rep') < 0.01 then [0, 1] else [0] end)
                as repeat
        from written
        where {happened(batch, "vt")}
    ),
    timed as (
        select *,
            {repeat_loaded("loaded_t", "repeat", "u4(p, l, step, repeat, 'lm_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess(subscriber_id, u3(p, l, step, 'lm_key')) as subscriber_id,
        {list_ids}[l + 1] as list_id,
        {list_names}[l + 1] as list_name,
        case when step = 0 then 'subscribed' else 'unsubscribed' end as status,
        iso(sub_t + (l * 60)::bigint) as subscribed_at,
        case when step = 1 then iso(left_t) end as unsubscribed_at,
        ts_mess(vt, u3(p, l, step, 'lm_upd'), iso(vt), utc_offset(country))
            as updated_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, l, step, repeat")}
    """


def _sends(batch: Batch) -> str:
    themes = str_list(CAMPAIGN_THEMES)
    rows = _landing(batch, "select * from esp_sends", "send_t", "p, k, 0", "p, k")
    return f"""
    select
        key_mess({_event("p * 100000 + k", "send")}, u2(p, k, 'send_key')) as event_id,
        subscriber_id,
        email_mess(esp_email, u2(p, k, 'send_email')) as email,
        {_campaign_id("k")} as campaign_id,
        {themes}[1 + k % {len(CAMPAIGN_THEMES)}] || ' #' || cast(k as varchar)
            as campaign_name,
        ts_mess(send_t, u2(p, k, 'send_ts'), plain(send_t), 0) as sent_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """


def _opens(batch: Batch) -> str:
    agents = str_list(vocab.MAIL_CLIENTS)
    source = f"""
        select *,
            send_t
                + (60 + pow(u3(p, k, o, 'open_delay'), 3) * 4 * {SECONDS_PER_DAY})
                ::bigint
                as open_t
        from (
            select *, unnest(range(
                (u2(p, k, 'open') < 0.22 + 0.06 * least(act, 2))::integer
                + (u2(p, k, 'reopen') < 0.08)::integer)) as o
            from esp_sends where not hard_bounce
        )
    """
    rows = _landing(batch, source, "open_t", "p, k, o + 10", "p, k, o")
    return f"""
    select
        key_mess({_event("(p * 100000 + k) * 4 + o", "open")}, u3(p, k, o, 'open_key'))
            as event_id,
        subscriber_id,
        email_mess(esp_email, u3(p, k, o, 'open_email')) as email,
        {_campaign_id("k")} as campaign_id,
        {agents}[1 + floor(u1(p, 'mail_client') * {len(vocab.MAIL_CLIENTS)})::integer]
            as user_agent,
        ts_mess(open_t, u3(p, k, o, 'open_ts'), plain(open_t), 0) as opened_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """


def _clicks(batch: Batch) -> str:
    paths = str_list(CLICK_PATHS)
    source = f"""
        select *,
            send_t
                + (120 + pow(u2(p, k, 'click_delay'), 3) * 3 * {SECONDS_PER_DAY})
                ::bigint
                as click_t
        from esp_sends
        where not hard_bounce and u2(p, k, 'click') < 0.035 + 0.01 * least(act, 2)
    """
    rows = _landing(batch, source, "click_t", "p, k, 20", "p, k")
    return f"""
    select
        key_mess({_event("p * 100000 + k", "click")}, u2(p, k, 'click_key'))
            as event_id,
        subscriber_id,
        email_mess(esp_email, u2(p, k, 'click_email')) as email,
        {_campaign_id("k")} as campaign_id,
        'https://shop.example.com' || {paths}[1 + floor(u2(p, k, 'click_url')
            * {len(CLICK_PATHS)})::integer] || '?utm_source=newsletter&utm_medium=email'
            || '&utm_campaign=' || {_campaign_id("k")} as url,
        ts_mess(click_t, u2(p, k, 'click_ts'), plain(click_t), 0) as clicked_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """


def _bounces(batch: Batch) -> str:
    source = """
        select *, send_t + 30 + (u2(p, k, 'bounce_delay') * 600)::bigint as bounce_t
        from esp_sends
        where hard_bounce or u2(p, k, 'soft_bounce') < 0.008
    """
    rows = _landing(batch, source, "bounce_t", "p, k, 30", "p, k")
    return f"""
    select
        key_mess({_event("p * 100000 + k", "bounce")}, u2(p, k, 'bounce_key'))
            as event_id,
        subscriber_id,
        email_mess(esp_email, u2(p, k, 'bounce_email')) as email,
        {_campaign_id("k")} as campaign_id,
        case when hard_bounce then 'hard' else 'soft' end as bounce_type,
        ts_mess(bounce_t, u2(p, k, 'bounce_ts'), plain(bounce_t), 0) as bounced_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """


def _unsubscribes(batch: Batch) -> str:
    reasons = str_list(UNSUBSCRIBE_REASONS)
    list_ids = str_list(list_id for list_id, _ in LISTS)
    # Leaving everything (unsubscribe, or a complaint that unsubscribes too)
    # and leaving only the offers list.
    source = """
        select *, end_t as unsub_t, null as list_index, 0 as kind
        from esp_subscribers
        where end_kind in ('unsubscribed', 'complained') and end_t > sub_t
        union all
        select *, (greatest(sub_t, 0) + u1(p, 'leave_offers_t') * 300 * 86400)::bigint,
            2, 1
        from esp_subscribers
        where on_list_3 and end_kind is null and u1(p, 'leave_offers') < 0.15
    """
    ordered = f"select * from ({source}) order by p, kind"
    rows = _landing(batch, ordered, "unsub_t", "p, kind, 40", "p, kind")
    return f"""
    select
        key_mess({_event("p * 4 + kind", "unsubscribe")}, u2(p, kind, 'unsub_key'))
            as event_id,
        subscriber_id,
        email_mess(esp_email, u2(p, kind, 'unsub_email')) as email,
        case when u2(p, kind, 'unsub_campaign') < 0.8
            then {_campaign_id(f"(unsub_t // {CAMPAIGN_EVERY})")} end as campaign_id,
        case when list_index is not null then {list_ids}[list_index + 1] end as list_id,
        {reasons}[1 + floor(u2(p, kind, 'unsub_reason') * {len(UNSUBSCRIBE_REASONS)})
            ::integer] as reason,
        ts_mess(unsub_t, u2(p, kind, 'unsub_ts'), plain(unsub_t), 0) as unsubscribed_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """


def _complaints(batch: Batch) -> str:
    source = """
        select *, end_t - 60 as complaint_t
        from esp_subscribers
        where end_kind = 'complained' and end_t > sub_t
    """
    rows = _landing(batch, source, "complaint_t", "p, 0, 50", "p")
    return f"""
    select
        key_mess({_event("p", "complaint")}, u1(p, 'complaint_key')) as event_id,
        subscriber_id,
        email_mess(esp_email, u1(p, 'complaint_email')) as email,
        {_campaign_id(f"(complaint_t // {CAMPAIGN_EVERY})")} as campaign_id,
        ts_mess(complaint_t, u1(p, 'complaint_ts'), plain(complaint_t), 0)
            as complained_at,
        loaded(landed_t) as _loaded_at
    from ({rows})
    """
