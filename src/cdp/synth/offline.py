"""Store tables: loyalty members and till transactions.

Members enrol in a store with whatever email and phone they give at the
till (often not the one they use online); transactions carry the card
number when it is scanned. People without a card shop in stores too, and
their transactions have no loyalty id.
"""

from __future__ import annotations

from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY
from cdp.synth.timeline import (
    entity_loaded,
    events,
    landed,
    ordered,
    repeat_loaded,
    versions,
)


def tables(batch: Batch) -> dict[str, str]:
    return {
        "loyalty_members": _members(batch),
        "store_transactions": _transactions(batch),
    }


def _members(batch: Batch) -> str:
    source = f"""
        select *, (since + u1(p, 'enrol') * 60 * {SECONDS_PER_DAY})::bigint as enrolled
        from (
            select p, loyalty_id, email, alt_email, typo_email, has_typo,
                uses_alt_email, mobile_grouped, first_name, last_name, postal_code,
                country, since
            from people where is_loyal
        )
    """
    email = """
        case
            when u1(p, 'loyal_no_email') < 0.15 then null
            when has_typo and u1(p, 'loyal_typo') < 0.3 then typo_email
            when uses_alt_email or u1(p, 'loyal_alt') < 0.1 then alt_email
            else email
        end
    """
    loaded = entity_loaded("vt", "u2(p, v, 'member_load')")
    return f"""
    with version_rows as ({versions(batch, source, "p", "enrolled", 0.4, "member")}),
    timed as (
        select *, {repeat_loaded(loaded, "repeat", "u3(p, v, repeat, 'member_rl')")}
            as loaded_t
        from version_rows
    )
    select
        key_mess(loyalty_id, u2(p, v, 'member_key')) as loyalty_id,
        email_mess({email}, u2(p, v, 'member_email')) as email,
        case when u1(p, 'member_phone') < 0.7
            then phone_mess(country, mobile_grouped, u2(p, v, 'member_phone_fmt')) end
            as phone,
        case when u2(p, v, 'member_first') < 0.02 then upper(first_name)
            else first_name end as first_name,
        case when u2(p, v, 'member_last') < 0.02 then upper(last_name)
            else last_name end as last_name,
        postal_code,
        country_mess(country, u2(p, v, 'member_country')) as country,
        ts_mess(enrolled, u2(p, v, 'enrolled_ts'), iso(enrolled), utc_offset(country))
            as enrolled_at,
        ts_mess(vt, u2(p, v, 'member_upd'), iso(vt), utc_offset(country)) as updated_at,
        loaded(loaded_t) as _loaded_at
    from timed
    where {landed(batch, "loaded_t")}
    {ordered(batch, "p, v, repeat")}
    """


def _transactions(batch: Batch) -> str:
    source = """
        select p, is_loyal, loyalty_id, country, since, act from people
        where is_loyal or u1(p, 'walk_in') < 0.12
    """
    rate = "case when is_loyal then 1 + 4 * act else 1.5 end"
    happenings = events(batch, source, "p", rate, "since", "till")
    # Stores write local time with their UTC offset.
    local = (
        "strftime(ts_at(t) + to_hours(utc_offset(country)), '%Y-%m-%dT%H:%M:%S') || "
        "case when utc_offset(country) < 0 then '-' else '+' end || "
        "lpad(abs(utc_offset(country))::varchar, 2, '0') || ':00'"
    )
    return f"""
    with rows as (
        select *, t + load_delay(u2(p, ek, 'till_load')) as loaded_t,
            unnest(case when u2(p, ek, 'till_rep') < 0.012 then [0, 1] else [0] end)
                as repeat,
            round(4 + pow(u2(p, ek, 'basket'), 2) * 260, 2) as basket
        from ({happenings})
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u3(p, ek, repeat, 'till_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess(cast(5000000000000 + p * 100000 + ek as varchar),
            u2(p, ek, 'till_key')) as transaction_id,
        case when is_loyal and u2(p, ek, 'card_scanned') < 0.92 then loyalty_id end
            as loyalty_id,
        'ST-' || country || '-' || lpad(cast(1 + floor(u1(p, 'store') * 12)::integer
            as varchar), 3, '0') as store_id,
        country_mess(country, u2(p, ek, 'store_country')) as store_country,
        amount_mess(basket, u2(p, ek, 'till_amount'),
            currency_symbol(currency_of(country)))
            as amount,
        currency_of(country) as currency,
        cast(1 + floor(pow(u2(p, ek, 'items'), 2) * 8)::integer as varchar)
            as item_count,
        ts_mess(t, u2(p, ek, 'till_ts'), {local}, utc_offset(country)) as transacted_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, repeat")}
    """
