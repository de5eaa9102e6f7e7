"""Data-subject requests from the privacy portal: deletion, access and
opt-out of sale/sharing.

Requesters are drawn mostly from people known to several systems, which is
where erasure is hard. A request is written when received, when the
requester is verified and when it is completed (or rejected); it names the
person by whatever they typed, not always the identifier a system holds.
"""

from __future__ import annotations

from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY
from cdp.synth.timeline import (
    entity_loaded,
    happened,
    landed,
    ordered,
    repeat_loaded,
)


def tables(batch: Batch) -> dict[str, str]:
    return {"requests": _requests(batch)}


def _requests(batch: Batch) -> str:
    systems = (
        "is_contact::integer + is_lead_only::integer + is_shopper::integer "
        "+ is_subscriber::integer + is_loyal::integer + is_web::integer"
    )
    kind = """
        case when country = 'US' then
            case when u1(p, 'dsr_kind') < 0.4 then 'opt_out'
                when u1(p, 'dsr_kind') < 0.8 then 'deletion' else 'access' end
        else
            case when u1(p, 'dsr_kind') < 0.55 then 'deletion'
                when u1(p, 'dsr_kind') < 0.9 then 'access' else 'opt_out' end
        end
    """
    jurisdiction = """
        case
            when country = 'GB' then 'uk_gdpr'
            when country = 'US' and region = 'CA' then 'ccpa'
            when country = 'US' then 'us_state'
            when country = 'CA' then 'pipeda'
            else 'gdpr'
        end
    """
    return f"""
    with requesters as (
        select *,
            {kind} as request_type,
            (greatest(since, 0) + u1(p, 'dsr_t') * 330 * {SECONDS_PER_DAY})::bigint
                as requested_t,
            u1(p, 'dsr_outcome') < 0.85 as is_fulfilled
        from people
        where u1(p, 'dsr') < case when {systems} >= 2 then 0.008 else 0.002 end
    ),
    stepped as (select *, unnest([0, 1, 2]) as step from requesters),
    written as (
        select *,
            requested_t + case step when 0 then 0
                when 1 then (86400 + u1(p, 'verify_t') * 4 * 86400)::bigint
                else (5 * 86400 + u1(p, 'complete_t') * 25 * 86400)::bigint end as vt
        from stepped
    ),
    rows as (
        select *, {entity_loaded("vt", "u2(p, step, 'dsr_load')")} as loaded_t,
            unnest(case when u2(p, step, 'dsr_rep') < 0.01 then [0, 1] else [0] end)
                as repeat
        from written
        where {happened(batch, "vt")}
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u3(p, step, repeat, 'dsr_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess('DSR-' || upper(lpad(to_hex(h2(p, 0, 'dsr_id')), 16, '0'))[1:10],
            u2(p, step, 'dsr_key')) as request_id,
        request_type,
        email_mess(case when is_b2b and u1(p, 'dsr_work') < 0.3 then work_email
            else email end, u2(p, step, 'dsr_email')) as email,
        case when u1(p, 'dsr_phone') < 0.3
            then phone_mess(country, mobile_grouped, u1(p, 'dsr_phone_fmt')) end
            as phone,
        case when is_registered and u1(p, 'dsr_user') < 0.3 then customer_id end
            as user_id,
        case when is_registered and u1(p, 'dsr_customer') < 0.4 then customer_id end
            as customer_id,
        {jurisdiction} as jurisdiction,
        case step when 0 then 'received' when 1 then 'verified'
            else case when is_fulfilled then 'completed' else 'rejected' end end
            as status,
        ts_mess(requested_t, u2(p, step, 'dsr_ts'), iso(requested_t),
            utc_offset(country))
            as requested_at,
        case when step = 2 and is_fulfilled then iso(vt) end as completed_at,
        iso(vt) as updated_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, step, repeat")}
    """
