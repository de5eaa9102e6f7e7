"""Consent tables: banner decisions (Google Consent Mode v2, IAB TCF v2.2,
Global Privacy Control) and preference-centre changes.

Every device records a decision on its first visit and some change their
mind later. EEA visitors answer a TCF banner and carry its TC string; UK and
Canadian visitors answer a banner without TCF; US visitors get no banner
(everything granted) unless their browser sends GPC, which denies ad user
data and personalisation.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb

from cdp.synth import tcf, vocab
from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY, quote, str_list
from cdp.synth.timeline import events, landed, ordered, repeat_loaded

MODE_FIELDS = (
    "ad_storage",
    "analytics_storage",
    "ad_user_data",
    "ad_personalization",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
)
PURPOSES = (
    "email_marketing",
    "sms_marketing",
    "personalization",
    "profiling",
    "sale_share",
    "analytics",
)


def _tcf_days(batch: Batch) -> range:
    first = max(batch.span_start, 0) // SECONDS_PER_DAY
    return range(first, batch.w1 // SECONDS_PER_DAY + 1)


def setup(batch: Batch, connection: duckdb.DuckDBPyConnection) -> None:
    """Macros that write the TC string of a (choice, day, language).

    The first 78 bits of a TC string (version, Created, LastUpdated) are
    exactly its first 13 base64 characters and depend on the day alone; the
    rest depends on the choice and language alone. The two halves are
    looked up separately, so no join is needed.
    """
    days = _tcf_days(batch)
    languages = sorted({vocab.LANGUAGE[c] for c in vocab.EEA})
    prefixes = []
    for day in days:
        when = batch.world.start + timedelta(days=day)
        prefixes.append(tcf.encode(tcf.CHOICES[0], when, "EN")[: tcf.DAY_CHARS])
    suffixes = []
    for index, choice in enumerate(tcf.CHOICES):
        for language in languages:
            text = tcf.encode(choice, batch.world.start, language)
            suffixes.append(
                f"when choice = {index} and lang = {quote(language)} "
                f"then {quote(text[tcf.DAY_CHARS :])}"
            )
    connection.execute(
        f"create or replace temp macro tcf_prefix(day) as "
        f"{str_list(prefixes)}[day - {days.start} + 1]"
    )
    connection.execute(
        f"create or replace temp macro tcf_suffix(choice, lang) as "
        f"case {' '.join(suffixes)} end"
    )


def tables(batch: Batch) -> dict[str, str]:
    return {
        "consent_events": _consent_events(batch),
        "preference_changes": _preference_changes(batch),
    }


def _choice_index(draw: str) -> str:
    cumulative, branches = 0.0, []
    for index, weight in enumerate(tcf.CHOICE_WEIGHTS[:-1]):
        cumulative += weight
        branches.append(f"when {draw} < {cumulative:.4f} then {index}")
    return f"case {' '.join(branches)} else {len(tcf.CHOICE_WEIGHTS) - 1} end"


def _mode_value(field: str) -> str:
    values = str_list(choice.consent_mode[field] for choice in tcf.CHOICES)
    us = (
        "case when gpc and '" + field + "' in ('ad_user_data', 'ad_personalization') "
        "then 'denied' else 'granted' end"
    )
    return f"case when country = 'US' then {us} else {values}[choice + 1] end"


def _consent_events(batch: Batch) -> str:
    eea = ", ".join(quote(c) for c in vocab.EEA)
    gpc = (
        "country = 'US' and u1(p, 'gpc') < "
        "case when region = 'CA' then 0.2 else 0.1 end"
    )
    gpc_text = (
        "case when country = 'US' then "
        "case floor(u2(p, device, 'gpc_fmt') * 3)::integer"
        " when 0 then case when gpc then 'true' else 'false' end"
        " when 1 then case when gpc then '1' else '0' end"
        " else case when gpc then 'TRUE' else null end end"
        " when u2(p, device, 'gpc_seen') < 0.5 then 'false' end"
    )
    landed_t = repeat_loaded(
        "loaded_t", "repeat", "u4(p, device, k, repeat, 'consent_rl')"
    )
    return f"""
    with decisions as (
        select *,
            unnest(case when u2(p, device, 'changes') < 0.12 then [0, 1]
                else [0] end) as k
        from devices
    ),
    timed as (
        select *,
            case when k = 0 then greatest(first_t, 0) + 2
                else (greatest(first_t, 0) + (1 + u2(p, device, 'change_t') * 200)
                    * {SECONDS_PER_DAY})::bigint
            end as t,
            {gpc} as gpc,
            ({_choice_index("u2(p, device, 'choice')")} + k
                * (1 + floor(u2(p, device, 'new_choice') * 4))::integer) % 5 as choice
        from decisions
    ),
    rows as (
        select *, t + load_delay(u3(p, device, k, 'consent_load')) as loaded_t,
            unnest(case when u3(p, device, k, 'consent_rep') < 0.012 then [0, 1]
                else [0] end) as repeat
        from timed
    ),
    landing as (
        select *,
            {landed_t}
                as landed_t,
            t // {SECONDS_PER_DAY} as day,
            {_language()} as lang
        from rows
        where {landed(batch, landed_t)}
    )
    select
        key_mess(lower(format('{{:016x}}', h3(p, device, k, 'consent_id'))),
            u3(p, device, k, 'consent_key')) as event_id,
        anonymous_id,
        case when login_t is not null and t >= login_t then customer_id end as user_id,
        case when login_t is not null and t >= login_t
            and u2(p, device, 'consent_email') < 0.05 then email end as email,
        {", ".join(f"{_mode_value(field)} as {field}" for field in MODE_FIELDS)},
        case when country in ({eea})
            then tcf_prefix(day) || tcf_suffix(choice, lang) end as tcf_string,
        {gpc_text} as gpc,
        case when u2(p, device, 'geo_case') < 0.03 then lower(country) else country end
            as country,
        case when country in ('US', 'CA') then region end as region,
        ts_mess(t, u3(p, device, k, 'consent_ts'), iso(t), utc_offset(country))
            as captured_at,
        loaded(landed_t) as _loaded_at
    from landing
    {ordered(batch, "p, device, k, repeat")}
    """


def _language() -> str:
    return (
        "case country "
        + " ".join(
            f"when {quote(c)} then {quote(vocab.LANGUAGE[c])}" for c in vocab.EEA
        )
        + " else 'en' end"
    )


def _preference_changes(batch: Batch) -> str:
    source = (
        "select p, email, is_registered, customer_id, country, since from people "
        "where (is_subscriber or is_registered) "
        "and u1(p, 'prefs') < 0.15"
    )
    happenings = events(batch, source, "p", "1.2", "since", "preference")
    return f"""
    with rows as (
        select *, t + load_delay(u2(p, ek, 'pref_load')) as loaded_t,
            unnest(case when u2(p, ek, 'pref_rep') < 0.012 then [0, 1] else [0] end)
                as repeat
        from ({happenings})
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u3(p, ek, repeat, 'pref_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess('pc_' || lower(format('{{:016x}}', h2(p, ek, 'pref_id'))),
            u2(p, ek, 'pref_key')) as change_id,
        email_mess(email, u2(p, ek, 'pref_email')) as email,
        case when is_registered and u2(p, ek, 'pref_user') < 0.7 then customer_id end
            as user_id,
        {str_list(PURPOSES)}[1 + floor(u2(p, ek, 'purpose') * {len(PURPOSES)})::integer]
            as purpose,
        case when u2(p, ek, 'pref_choice') < 0.6 then 'opt_out' else 'opt_in' end
            as choice,
        ts_mess(t, u2(p, ek, 'pref_ts'), iso(t), utc_offset(country)) as captured_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, repeat")}
    """
