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

from cdp.synth import population, sqlkit
from cdp.synth.population import Batch
from cdp.synth.timeline import ordered


def tables(batch: Batch) -> dict[str, str]:
    # Only people who joined by the end of the batch, each listed once: the
    # initial run lists its population, a --next-day run its new people.
    if batch.daily:
        joined = f"since >= {batch.w0} and since < {batch.w1}"
    else:
        joined = f"since < {batch.w1}"
    listed = [
        ("email", "email", "true"),
        ("email", "alt_email", "uses_alt_email"),
        ("email", "typo_email", "has_typo"),
        ("email", "work_email", "is_b2b"),
        ("email", "family_email", "uses_family_email"),
        ("phone", sqlkit.e164("country", "mobile_nsn"), "true"),
        ("phone", sqlkit.e164("account_country", "direct_nsn"), "is_b2b"),
        (
            "phone",
            sqlkit.e164("account_country", "office_nsn"),
            "is_contact and shares_office_phone",
        ),
        ("customer_id", "customer_id", "is_registered"),
        ("user_id", "customer_id", "is_registered"),
        ("contact_id", "contact_id", "is_contact"),
        ("lead_id", "lead_id", "is_lead_only or was_lead"),
        ("subscriber_id", "subscriber_id", "is_subscriber"),
        ("loyalty_id", "loyalty_id", "is_loyal"),
    ]
    # One list per person, unnested: rows come out in person order without
    # a sort.
    entries = ", ".join(
        f"{{'t': '{kind}', 'v': case when {condition} then {value} end}}"
        for kind, value, condition in listed
    )
    devices = (
        "case when is_web then list_transform(range(n_devices), device -> "
        f"{{'t': 'anonymous_id', 'v': {population.anonymous_id()}}}) else [] end"
    )
    return {
        "person_identifiers": f"""
        with listed as (
            select person_key,
                unnest(list_filter([{entries}] || {devices}, x -> x.v is not null))
                    as entry
            from people
            where {joined}
        )
        select person_key, entry.t as identifier_type, entry.v as identifier_value
        from listed
        {ordered(batch, "person_key")}
        """
    }
