"""CRM tables: accounts, contacts, leads, opportunities with their stage
history, sales activities and service cases (Salesforce-shaped ids).

B2B people are the account's contacts, or leads that never converted; a
share of the contacts came in as leads first. Contacts carry the work email
and the office or direct-dial phone; leads typed in a web form often carry
a personal address instead.
"""

from __future__ import annotations

from cdp.synth import vocab
from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY, pick
from cdp.synth.timeline import (
    entity_loaded,
    events,
    landed,
    ordered,
    repeat_loaded,
    versions,
)

STAGES = ("prospecting", "qualification", "proposal", "negotiation")
STAGE_PROBABILITY = (10, 20, 50, 75)
# How a stage name is written: the CRM's own label, the API name, or typed.
STAGE_SPELLINGS = {
    "prospecting": ("Prospecting", "prospecting", "PROSPECTING"),
    "qualification": ("Qualification", "qualification", "Qualification "),
    "proposal": ("Proposal", "proposal", "Proposal/Price Quote"),
    "negotiation": ("Negotiation", "negotiation", "Negotiation/Review"),
    "closed_won": ("Closed Won", "closed_won", "CLOSED WON"),
    "closed_lost": ("Closed Lost", "closed_lost", "closed lost"),
}
ACTIVITY_SUBJECTS = (
    "Intro call",
    "Follow-up",
    "Demo",
    "Pricing discussion",
    "Quarterly review",
    "Sent proposal",
    "Onboarding check-in",
    "Renewal",
    "Left voicemail",
)
CASE_SUBJECTS = (
    "Cannot log in",
    "Invoice question",
    "Data export failing",
    "Feature request",
    "Integration error",
    "Billing address change",
    "Slow dashboard",
    "Password reset",
)


def _stage_text(stage: str, draw: str) -> str:
    options = {
        name: pick(draw, spellings) for name, spellings in STAGE_SPELLINGS.items()
    }
    branches = " ".join(f"when '{k}' then {v}" for k, v in options.items())
    return f"case {stage} {branches} end"


def _name_noise(column: str, draw: str) -> str:
    return (
        f"case when {draw} < 0.01 then upper({column}) "
        f"when {draw} < 0.02 then lower({column}) "
        f"when {draw} < 0.025 then ' ' || {column} else {column} end"
    )


def _updated_at(t: str, draw: str, country: str) -> str:
    return f"ts_mess({t}, {draw}, iso({t}), utc_offset({country}))"


def prepare(batch: Batch) -> list[str]:
    """Opportunities with their stage path, one per (account, number)."""
    return [
        f"""
        create or replace temp table crm_opportunities as
        with account_contacts as (
            select a, min(p) as primary_p, arg_min(contact_id, p) as contact_id,
                min(since) as first_since, count(*) as contacts
            from people where is_contact group by a
        ),
        numbered as (
            select accounts.*, account_contacts.* exclude (a),
                unnest(range(least(
                    n_of(0.6 + 0.15 * contacts, u1(accounts.a, 'opps')), 6)))
                    as o
            from accounts join account_contacts using (a)
        )
        select *,
            a * 8 + o as opportunity_number,
            '006' || lpad(upper(to_hex((a * 8 + o) * 16807 % 2147483647)), 12, '0')
                as opportunity_id,
            (greatest(first_since, -{365 * SECONDS_PER_DAY})
                + u2(a, o, 'opp_created') * 500 * {SECONDS_PER_DAY})::bigint
                as opp_created_t,
            -- How far the deal got: 1-4 open stages, then maybe closed.
            1 + floor(u2(a, o, 'reach') * 4)::integer as stages_reached,
            case when u2(a, o, 'outcome') < 0.35 then 'closed_won'
                when u2(a, o, 'outcome') < 0.75 then 'closed_lost' end as outcome,
            round(2000 + pow(u2(a, o, 'amount'), 2) * 180000, -2) as base_amount,
            currency_of(account_country) as currency
        from numbered
        order by a, o
        """,
        """
        create or replace temp table crm_stages as
        with paths as (
            select *, unnest(range(stages_reached + (outcome is not null)::integer))
                as k
            from crm_opportunities
        )
        select *,
            case when k < stages_reached then ['prospecting', 'qualification',
                'proposal', 'negotiation'][k + 1] else outcome end as stage,
            (opp_created_t + k * 12 * 86400
                + u2(opportunity_number, k, 'stage_t') * 10 * 86400 * k)::bigint
                as stage_t,
            base_amount * (1 + 0.1 * k * (u2(opportunity_number, k, 'amt') - 0.4))
                as stage_amount
        from paths
        order by a, o, k
        """,
    ]


def tables(batch: Batch) -> dict[str, str]:
    return {
        "accounts": _accounts(batch),
        "contacts": _contacts(batch),
        "leads": _leads(batch),
        "opportunities": _opportunities(batch),
        "opportunity_stage_history": _stage_history(batch),
        "activities": _activities(batch),
        "cases": _cases(batch),
    }


def _accounts(batch: Batch) -> str:
    source = """
        select accounts.*,
            least(accounts.account_created_t, m.first_since - 30 * 86400) as created
        from accounts
        join (select a, min(since) as first_since from people where is_b2b group by a) m
            using (a)
    """
    website = (
        "case floor(u1(a, 'website') * 5)::integer "
        "when 0 then 'https://www.' || company_domain when 1 then company_domain "
        "when 2 then 'http://' || company_domain || '/' "
        "when 3 then upper('WWW.' || company_domain) "
        "else 'www.' || company_domain end"
    )
    loaded = entity_loaded("vt", "u2(a, v, 'acc_load')")
    return f"""
    with version_rows as ({versions(batch, source, "a", "created", 0.8, "account")}),
    timed as (
        select *,
            {repeat_loaded(loaded, "repeat", "u3(a, v, repeat, 'acc_rep')")} as loaded_t
        from version_rows
    )
    select
        key_mess(account_id, u2(a, v, 'acc_key')) as account_id,
        case when v > 0 and u2(a, v, 'acc_case') < 0.1 then upper(account_name)
            else account_name end as account_name,
        {website} as website,
        industry,
        cast((employee_count * (1 + 0.05 * v))::bigint as varchar) as employee_count,
        amount_mess(employee_count * (60000 + u1(a, 'revenue') * 140000)
            * (1 + 0.03 * v), u2(a, v, 'acc_rev'),
            currency_symbol(currency_of(account_country)))
            as annual_revenue,
        country_mess(account_country, u1(a, 'acc_country')) as billing_country,
        owner_id,
        iso(created) as created_at,
        {_updated_at("vt", "u2(a, v, 'acc_upd')", "account_country")} as updated_at,
        bool_text(v > 0 and v = n_updates and u1(a, 'acc_deleted') < 0.01,
            u2(a, v, 'acc_del_fmt')) as is_deleted,
        loaded(loaded_t) as _loaded_at
    from timed
    where {landed(batch, "loaded_t")}
    order by a, v, repeat
    """


def _contacts(batch: Batch) -> str:
    source = """
        select p, contact_id, account_id, account_country, country, first_name,
            last_name, email, work_email, shares_office_phone, office_grouped,
            direct_grouped, mobile_grouped, street, city, postal_code, since
        from people where is_contact
    """
    loaded = entity_loaded("vt", "u2(p, v, 'con_load')")
    email = "case when u1(p, 'crm_personal') < 0.06 then email else work_email end"
    phone = (
        "case when u1(p, 'crm_phone_missing') < 0.1 then null "
        "when shares_office_phone then office_grouped else direct_grouped end"
    )
    return f"""
    with version_rows as ({versions(batch, source, "p", "since", 0.7, "contact")}),
    timed as (
        select *,
            {repeat_loaded(loaded, "repeat", "u3(p, v, repeat, 'con_rep')")} as loaded_t
        from version_rows
    )
    select
        key_mess(contact_id, u2(p, v, 'con_key')) as contact_id,
        case when u1(p, 'con_no_account') < 0.02 then null else account_id end
            as account_id,
        {_name_noise("first_name", "u2(p, v, 'con_first')")} as first_name,
        {_name_noise("last_name", "u2(p, v, 'con_last')")} as last_name,
        email_mess({email}, u2(p, v, 'con_email')) as email,
        phone_mess(account_country, {phone}, u2(p, v, 'con_phone')) as phone,
        case when u1(p, 'con_mobile') < 0.5 then
            phone_mess(country, mobile_grouped, u2(p, v, 'con_mobile_fmt')) end
            as mobile_phone,
        {pick("u2(p, least(v, 1), 'title')", vocab.JOB_TITLES)} as title,
        street as mailing_street,
        city as mailing_city,
        postal_code as mailing_postal_code,
        country_mess(country, u1(p, 'con_country')) as mailing_country,
        {pick("u1(p, 'lead_source')", vocab.LEAD_SOURCES)} as lead_source,
        bool_text(v > 0 and u1(p, 'dnc') < 0.01, u2(p, v, 'dnc_fmt'))
            as do_not_contact,
        bool_text(v > 0 and u1(p, 'crm_optout') < 0.08, u2(p, v, 'optout_fmt'))
            as email_opt_out,
        iso(since) as created_at,
        {_updated_at("vt", "u2(p, v, 'con_upd')", "country")} as updated_at,
        bool_text(v > 0 and v = n_updates and u1(p, 'con_deleted') < 0.01,
            u2(p, v, 'con_del_fmt')) as is_deleted,
        loaded(loaded_t) as _loaded_at
    from timed
    where {landed(batch, "loaded_t")}
    {ordered(batch, "p, v, repeat")}
    """


def _leads(batch: Batch) -> str:
    source = f"""
        select *,
            case when was_lead
                then since
                    - ((30 + u1(p, 'lead_age') * 120) * {SECONDS_PER_DAY})::bigint
                else since end as lead_created
        from (
            select p, lead_id, contact_id, was_lead, has_typo, typo_email, email,
                work_email, first_name, last_name, country, mobile_grouped,
                direct_grouped, account_name, since
            from people where is_lead_only or was_lead
        )
    """
    loaded = entity_loaded("vt", "u2(p, v, 'lead_load')")
    status = """
        case
            when was_lead and v = n_updates and v > 0 then 'converted'
            when not was_lead and v = n_updates and v > 0
                and u1(p, 'disqualified') < 0.25 then 'disqualified'
            else ['new', 'working', 'mql', 'sql', 'sql', 'sql', 'sql'][v + 1]
        end
    """
    email = """
        case
            when has_typo and u1(p, 'lead_typo') < 0.5 then typo_email
            when u1(p, 'lead_email') < case when was_lead then 0.3 else 0.4 end
                then email
            else work_email
        end
    """
    company = """
        case floor(u1(p, 'company_typed') * 5)::integer
            when 0 then lower(account_name)
            when 1 then split_part(account_name, ' ', 1)
            when 2 then upper(account_name)
            else account_name end
    """
    status_text = (
        "case floor(u2(p, v, 'status_case') * 4)::integer "
        "when 0 then upper(status) when 1 then upper(status[1]) || status[2:] "
        "else status end"
    )
    return f"""
    with version_rows as ({versions(batch, source, "p", "lead_created", 1.5, "lead")}),
    timed as (
        select *,
            {status} as status,
            {repeat_loaded(loaded, "repeat", "u3(p, v, repeat, 'lead_rep')")}
                as loaded_t
        from version_rows
    ),
    converted as (
        select *,
            case when status = 'converted' then greatest(vt, since) else vt end
                as written_t
        from timed
    )
    select
        key_mess(lead_id, u2(p, v, 'lead_key')) as lead_id,
        {_name_noise("first_name", "u2(p, v, 'lead_first')")} as first_name,
        {_name_noise("last_name", "u2(p, v, 'lead_last')")} as last_name,
        email_mess({email}, u2(p, v, 'lead_email_fmt')) as email,
        case when u1(p, 'lead_phone') < 0.6 then phone_mess(country,
            case when u1(p, 'lead_mobile') < 0.5 then mobile_grouped
            else direct_grouped end, u2(p, v, 'lead_phone_fmt')) end as phone,
        {company} as company,
        {pick("u1(p, 'lead_title')", vocab.JOB_TITLES)} as title,
        country_mess(country, u1(p, 'lead_country')) as country,
        {status_text} as status,
        {pick("u1(p, 'lead_src')", vocab.LEAD_SOURCES)} as lead_source,
        case when status = 'converted' then contact_id end as converted_contact_id,
        case when status = 'converted' then iso(since) end as converted_at,
        iso(lead_created) as created_at,
        {_updated_at("written_t", "u2(p, v, 'lead_upd')", "country")} as updated_at,
        bool_text(u2(p, v, 'lead_deleted') < 0.003, u2(p, v, 'lead_del_fmt'))
            as is_deleted,
        loaded(greatest(loaded_t, written_t + 600)) as _loaded_at
    from converted
    where {landed(batch, "greatest(loaded_t, written_t + 600)")}
    {ordered(batch, "p, v, repeat")}
    """


def _opportunities(batch: Batch) -> str:
    # The CRM appends the deal as it then was at every stage change.
    loaded = (
        "greatest(stage_t + load_delay(u2(opportunity_number, k, 'opp_load')), 3600)"
    )
    landed_t = repeat_loaded(
        "loaded_t", "repeat", "u3(opportunity_number, k, repeat, 'opp_rl')"
    )
    return f"""
    with rows as (
        select *, {loaded} as loaded_t,
            unnest(case when u2(opportunity_number, k, 'opp_rep') < 0.01
                then [0, 1] else [0] end) as repeat
        from crm_stages
        where stage_t < {batch.w1}
    )
    select
        key_mess(opportunity_id, u2(opportunity_number, k, 'opp_key'))
            as opportunity_id,
        account_id,
        contact_id,
        account_name || ' - ' || ['New business', 'Expansion', 'Renewal',
            'Pilot'][1 + floor(u1(opportunity_number, 'opp_kind') * 4)::integer]
            as opportunity_name,
        {_stage_text("stage", "u2(opportunity_number, k, 'stage_fmt')")} as stage_name,
        amount_mess(stage_amount, u2(opportunity_number, k, 'opp_amt'),
            currency_symbol(currency)) as amount,
        currency,
        cast(case stage when 'closed_won' then 100 when 'closed_lost' then 0
            else [10, 20, 50, 75][k + 1] end as varchar) as probability,
        day_of(case when stage in ('closed_won', 'closed_lost') then stage_t
            else opp_created_t + 120 * 86400 end) as close_date,
        bool_text(stage in ('closed_won', 'closed_lost'),
            u2(opportunity_number, k, 'closed_fmt')) as is_closed,
        bool_text(stage = 'closed_won', u2(opportunity_number, k, 'won_fmt')) as is_won,
        iso(opp_created_t) as created_at,
        ts_mess(stage_t, u2(opportunity_number, k, 'opp_upd'), iso(stage_t),
            utc_offset(account_country)) as updated_at,
        'false' as is_deleted,
        loaded({landed_t})
            as _loaded_at
    from rows
    where {landed(batch, landed_t)}
    order by a, o, k, repeat
    """


def _stage_history(batch: Batch) -> str:
    loaded = (
        "greatest(stage_t + load_delay(u2(opportunity_number, k, 'hist_load')), 3600)"
    )
    landed_t = repeat_loaded(
        "loaded_t", "repeat", "u3(opportunity_number, k, repeat, 'hist_rl')"
    )
    return f"""
    with rows as (
        select *, {loaded} as loaded_t,
            unnest(case when u2(opportunity_number, k, 'hist_rep') < 0.012
                then [0, 1] else [0] end) as repeat
        from crm_stages
        where stage_t < {batch.w1}
    ),
    timed as (
        select *, {landed_t}
            as landed_t
        from rows
    )
    select
        key_mess('017' || lpad(upper(to_hex((opportunity_number * 8 + k) * 48271
            % 2147483647)), 12, '0'), u2(opportunity_number, k, 'hist_key'))
            as history_id,
        opportunity_id,
        {_stage_text("stage", "u2(opportunity_number, k, 'hist_fmt')")} as stage_name,
        amount(stage_amount) as amount,
        ts_mess(stage_t, u2(opportunity_number, k, 'hist_ts'), iso(stage_t),
            utc_offset(account_country)) as changed_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    order by a, o, k, repeat
    """


def _activities(batch: Batch) -> str:
    source = """
        select p, is_contact, contact_id, lead_id, account_id, country, since, act
        from people where is_b2b
    """
    happenings = events(batch, source, "p", "4 + 6 * act", "since", "activity")
    loaded = "t + load_delay(u2(p, ek, 'act_load'))"
    return f"""
    with rows as (
        select *, {loaded} as loaded_t,
            unnest(case when u2(p, ek, 'act_rep') < 0.012
                then [0, 1] else [0] end) as repeat
        from ({happenings})
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u2(p, ek, 'act_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess('00T' || upper(lpad(to_hex(h2(p, ek, 'activity')), 16, '0'))[1:12],
            u2(p, ek, 'act_key')) as activity_id,
        ['call', 'Call', 'meeting', 'Meeting', 'email', 'Email', 'task', 'TASK']
            [1 + floor(u2(p, ek, 'act_type') * 8)::integer] as activity_type,
        case when is_contact then contact_id end as contact_id,
        case when not is_contact then lead_id end as lead_id,
        case when is_contact then account_id end as account_id,
        {pick("u2(p, ek, 'act_subject')", ACTIVITY_SUBJECTS)} as subject,
        ts_mess(t, u2(p, ek, 'act_ts'), iso(t), utc_offset(country))
            as occurred_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, repeat")}
    """


def _cases(batch: Batch) -> str:
    source = """
        select p, contact_id, account_id, country, since, act
        from people where is_contact
    """
    happenings = events(batch, source, "p", "0.4 * act", "since", "case")
    # A case is written when opened, when worked on, and when closed.
    return f"""
    with opened as ({happenings}),
    stepped as (
        select *,
            unnest(range(1 + (u2(p, ek, 'case_steps') < 0.8)::integer
                + (u2(p, ek, 'case_steps') < 0.65)::integer)) as step,
            (t + (1 + u2(p, ek, 'case_close') * 9) * 86400)::bigint as closed_t
        from opened
    ),
    written as (
        select *,
            case step when 0 then t when 1 then (t + (closed_t - t) / 3)::bigint
                else closed_t end as vt,
            ['new', 'open', 'closed'][step + 1] as status
        from stepped
    ),
    rows as (
        select *, vt + load_delay(u3(p, ek, step, 'case_load')) as loaded_t,
            unnest(case when u3(p, ek, step, 'case_rep') < 0.01
                then [0, 1] else [0] end) as repeat
        from written
    ),
    timed as (
        select *, {repeat_loaded("loaded_t", "repeat", "u3(p, ek, step, 'case_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess('500' || upper(lpad(to_hex(h2(p, ek, 'case')), 16, '0'))[1:12],
            u3(p, ek, step, 'case_key')) as case_id,
        contact_id,
        account_id,
        {pick("u2(p, ek, 'case_subject')", CASE_SUBJECTS)} as subject,
        case when u2(p, ek, 'status_case') < 0.2 then upper(status)
            else status end as status,
        ['low', 'medium', 'medium', 'high', 'urgent']
            [1 + floor(u2(p, ek, 'priority') * 5)::integer] as priority,
        ['email', 'phone', 'chat', 'web']
            [1 + floor(u2(p, ek, 'channel') * 4)::integer] as channel,
        case when status = 'closed' and u2(p, ek, 'csat') < 0.4
            then cast(1 + floor(pow(u2(p, ek, 'csat_v'), 0.6) * 5)::integer
                as varchar) end as satisfaction_score,
        ts_mess(t, u3(p, ek, step, 'case_ts'), iso(t), utc_offset(country))
            as created_at,
        case when status = 'closed' then iso(closed_t) end as closed_at,
        iso(vt) as updated_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, step, repeat")}
    """
