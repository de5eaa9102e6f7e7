"""Ground truth for identity resolution: which generated person every
identifier belongs to.

One row per (person, identifier type, value). Values are normalised as the
identity layer should normalise them: emails trimmed and lower-cased, phones
in E.164 with the "+". Types: email, phone, customer_id (the shop's; also
the tracking user_id, listed again as user_id), contact_id, lead_id,
subscriber_id, loyalty_id, anonymous_id. A shared value (a family email,
an office phone) is listed for every person who uses it; junk and invalid
values belong to no one and are not listed. An identifier is listed when
the person has it, whether or not a source ended up showing it.
"""

from __future__ import annotations

from cdp.synth import sqlkit
from cdp.synth.population import Batch


def prepare(batch: Batch) -> list[str]:
    return []


def tables(batch: Batch) -> dict[str, str]:
    # Only people who joined by the end of the batch, each listed once: the
    # initial run lists its population, a --next-day run its new people.
    if batch.daily:
        joined = f"people.since >= {batch.w0} and people.since < {batch.w1}"
    else:
        joined = f"people.since < {batch.w1}"
    mobile = sqlkit.e164("country", "mobile_nsn")
    direct = sqlkit.e164("account_country", "direct_nsn")
    office = sqlkit.e164("account_country", "office_nsn")
    return {
        "person_identifiers": f"""
        with who as (
            select people.*, head.email as family_email
            from people left join people head on head.p = people.household_head
            where {joined}
        ),
        listed as (
            select p, 0 as n, 'email' as identifier_type, email as identifier_value
                from who
            union all select p, 1, 'email', alt_email from who where uses_alt_email
            union all select p, 2, 'email', typo_email from who where has_typo
            union all select p, 3, 'email', work_email from who where is_b2b
            union all select p, 4, 'email', family_email from who
                where uses_family_email
            union all select p, 5, 'phone', {mobile} from who
            union all select p, 6, 'phone', {direct} from who where is_b2b
            union all select p, 7, 'phone', {office} from who
                where is_contact and shares_office_phone
            union all select p, 8, 'customer_id', customer_id from who
                where is_registered
            union all select p, 9, 'user_id', customer_id from who where is_registered
            union all select p, 10, 'contact_id', contact_id from who where is_contact
            union all select p, 11, 'lead_id', lead_id from who
                where is_lead_only or was_lead
            union all select p, 12, 'subscriber_id', subscriber_id from who
                where is_subscriber
            union all select p, 13, 'loyalty_id', loyalty_id from who where is_loyal
            union all select devices.p, 14 + device, 'anonymous_id', anonymous_id
                from devices join who using (p)
        )
        select 'P' || lpad(cast(p as varchar), 9, '0') as person_key,
            identifier_type, identifier_value
        from listed
        order by p, n
        """
    }
