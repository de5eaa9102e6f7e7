"""The generated population: people, the accounts they work for, their devices.

Each chunk of people becomes three temporary DuckDB tables that every source
module reads: `people` (one row per person, every attribute any system
knows), `accounts` (one row per CRM account with at least one person) and
`devices` (one row per browser or phone of a web visitor). Every attribute
is a function of the seed and the person number `p` only.

A person belongs to account `p // 40` when they are a B2B person, and to
household `p // 3`, whose members may use a shared family mailbox. Chunks
start on a multiple of 120 so that no account or household is split across
chunks.

Every table is built so that its rows come out in key order without a sort
(sorting wide rows is the most expensive thing DuckDB does here): `people`
is one projection over the range of person numbers, joined by position to a
narrow table of the few attributes that need a join or a window; `devices`
unnests people. The output queries keep that order, which is what makes the
files byte-identical from run to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cdp.synth import sqlkit, vocab
from cdp.synth.sqlkit import SECONDS_PER_DAY, pick, quote, weighted

ACCOUNT_SIZE = 40
HOUSEHOLD_SIZE = 3
CHUNK_MULTIPLE = 120
YEAR_SECONDS = 365 * SECONDS_PER_DAY
# How many days before a daily batch an event may have happened and still
# land in it: the longest loader delay the generator produces.
LATE_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class World:
    """What fixes every generated value: the seed, the start date, the
    initial population and window. People added by --next-day runs are
    numbered on from `profiles`, `new_per_day` a day."""

    seed: int
    start: date
    profiles: int
    initial_days: int

    @property
    def new_per_day(self) -> int:
        return max(1, self.profiles // 2000)

    def people_until(self, day: int) -> int:
        """How many people exist once `day` (0-based) has been generated."""
        extra_days = max(0, day + 1 - self.initial_days)
        return self.profiles + extra_days * self.new_per_day


@dataclass(frozen=True)
class Batch:
    """One landing of data: the initial window or one extra day.

    `tag` is 0 for the initial window and the 1-based day number for a day
    added by --next-day. Rows land in the batch when their load time falls
    in [w0, w1) (initial window: anything before w1).
    """

    world: World
    first_day: int
    days: int
    tag: int

    @property
    def daily(self) -> bool:
        return self.tag > 0

    @property
    def w0(self) -> int:
        """First second of the batch (seconds since the start date)."""
        return self.first_day * SECONDS_PER_DAY

    @property
    def w1(self) -> int:
        """First second after the batch."""
        return (self.first_day + self.days) * SECONDS_PER_DAY

    @property
    def span_start(self) -> int:
        """Earliest event time that can still land in this batch."""
        if self.daily:
            return self.w0 - LATE_LOOKBACK_DAYS * SECONDS_PER_DAY
        return 0


def _weighted_region(u: str) -> str:
    us = weighted(u, vocab.US_STATE_WEIGHTS)
    ca = weighted(u, vocab.CA_PROVINCE_WEIGHTS)
    return f"case country when 'US' then {us} when 'CA' then {ca} end"


def _by_language(table: dict[str, tuple[str, ...]], u: str) -> str:
    values = {lang: pick(u, names) for lang, names in table.items()}
    return sqlkit.by_country("lang", values, "null")


def _ascii(expression: str) -> str:
    """Lower-case ASCII letters only, for the local part of an address."""
    folded = f"strip_accents(lower({expression}))"
    for source, target in (("ł", "l"), ("ø", "o"), ("æ", "ae"), ("ß", "ss")):
        folded = f"replace({folded}, '{source}', '{target}')"
    return f"regexp_replace({folded}, '[^a-z]', '', 'g')"


def _email_domain(u: str) -> str:
    values = {
        country: weighted(u, dict(domains))
        for country, domains in vocab.EMAIL_DOMAINS.items()
    }
    return sqlkit.by_country("country", values, "'gmail.com'")


def _phone_nsn(kind: str, n: str, multiplier: int, salt: str) -> str:
    """A national significant number, unique per `n` within a country.

    Landline numbers are office switchboards: they end in 00, and a person's
    direct line swaps those two digits for an extension.
    """
    values = {}
    for country, plan in vocab.PHONE_PLANS.items():
        if kind == "mobile":
            options, digits, tail = plan.mobile_prefixes, plan.mobile_digits, ""
        else:
            options, digits, tail = (
                plan.landline_prefixes,
                plan.landline_digits - 2,
                "'00'",
            )
        prefix = pick(f"u1({n}, '{salt}_prefix')", options)
        body = sqlkit.unique_digits(n, digits, multiplier, 17)
        values[country] = f"{prefix} || {body}" + (f" || {tail}" if tail else "")
    return sqlkit.by_country("country", values, "null")


def _grouped_nsn(nsn: str, kind: str) -> str:
    values = {}
    for country, plan in vocab.PHONE_PLANS.items():
        groups = plan.mobile_groups if kind == "mobile" else plan.landline_groups
        values[country] = sqlkit.grouped(nsn, groups)
    return sqlkit.by_country("country", values, "null")


def _postal_and_city(u: str) -> tuple[str, str]:
    cities, postals = {}, {}
    for country, options in vocab.CITIES.items():
        index = f"floor(({u}) * {len(options)})::integer"
        cities[country] = f"{sqlkit.str_list(name for name, _ in options)}[1 + {index}]"
        postals[country] = (
            f"case {index} "
            + " ".join(
                f"when {i} then {sqlkit.pattern_fill(pattern, 'postal_bits')}"
                for i, (_, pattern) in enumerate(options)
            )
            + " end"
        )
    us_cities, us_postals = {}, {}
    for state, options in vocab.US_CITIES.items():
        index = f"floor(({u}) * {len(options)})::integer"
        us_cities[state] = f"{sqlkit.str_list(n for n, _ in options)}[1 + {index}]"
        us_postals[state] = (
            f"case {index} "
            + " ".join(
                f"when {i} then {sqlkit.pattern_fill(pattern, 'postal_bits')}"
                for i, (_, pattern) in enumerate(options)
            )
            + " end"
        )
    city = (
        "case when country = 'US' then "
        f"{sqlkit.by_country('region', us_cities, 'null')}"
        f" else {sqlkit.by_country('country', cities, 'null')} end"
    )
    postal = (
        "case when country = 'US' then "
        f"{sqlkit.by_country('region', us_postals, 'null')}"
        f" else {sqlkit.by_country('country', postals, 'null')} end"
    )
    return city, postal


def _street(key: str) -> str:
    values = {}
    for lang, streets in vocab.STREETS.items():
        street = pick(f"u1({key}, 'street')", streets)
        number = f"cast(1 + h2({key}, 0, 'house') % 180 as varchar)"
        # English addresses put the number first; the others after.
        values[lang] = (
            f"{number} || ' ' || {street}"
            if lang == "en"
            else f"{street} || ' ' || {number}"
        )
    return sqlkit.by_country("lang", values, "null")


def account_columns(a: str) -> dict[str, str]:
    """Attributes of account number `a`, as expressions of `a` alone, so that
    people need no join to their account."""
    syllables = sqlkit.str_list(vocab.COMPANY_SYLLABLES)
    n = len(vocab.COMPANY_SYLLABLES)
    # A bijection of the account number spreads names over the alphabet;
    # past n**4 accounts the number itself keeps names unique.
    scrambled = f"(({a} * 7919 + 4321) % {n**4})"
    word = " || ".join(
        f"{syllables}[1 + ({scrambled} // {n**k}) % {n}]" for k in range(4)
    )
    tail = f"case when {a} >= {n**4} then cast({a} as varchar) else '' end"
    brand = f"(upper(({word})[1]) || ({word})[2:] || {tail})"
    country = weighted(f"u1({a}, 'country')", vocab.COUNTRY_WEIGHTS)
    suffix = sqlkit.by_country(
        f"({country})",
        {c: pick(f"u1({a}, 'suffix')", s) for c, s in vocab.COMPANY_SUFFIXES.items()},
        "'Inc'",
    )
    tld = sqlkit.by_country(
        f"({country})",
        {c: quote(t) for c, t in vocab.COMPANY_TLD.items()},
        "'com'",
    )
    office = _phone_nsn("landline", a, 104_729, "office").replace(
        "case country", f"case ({country})", 1
    )
    return {
        "account_id": (
            f"'001' || lpad(upper(to_hex({a} * 48271 % 2147483647)), 12, '0')"
        ),
        "account_country": country,
        "account_name": f"{brand} || ' ' || {suffix}",
        "company_domain": f"lower({brand}) || '.' || {tld}",
        "industry": pick(f"u1({a}, 'industry')", vocab.INDUSTRIES),
        "employee_count": f"(10 * pow(10, 3.5 * u1({a}, 'size')))::bigint",
        "office_nsn": office,
        "shares_office_phone": f"u1({a}, 'shared_phone') < 0.3",
        "owner_id": (
            f"'005' || lpad(cast(1 + h2({a}, 0, 'owner') % 40 as varchar), 12, '0')"
        ),
        "account_created_t": f"-(u1({a}, 'created') * 4 * {YEAR_SECONDS})::bigint",
    }


def accounts_sql(a0: int, a1: int) -> str:
    """One row per account number in [a0, a1), in order."""
    columns = account_columns("a")
    select = ",\n        ".join(f"{expr} as {name}" for name, expr in columns.items())
    grouped = _grouped_nsn("office_nsn", "landline").replace(
        "case country", "case account_country", 1
    )
    return f"""
    select *, {grouped} as office_grouped
    from (select a, {select} from range({a0}, {a1}) t(a))
    """


def _since(world: World) -> str:
    window = world.initial_days * SECONDS_PER_DAY
    # The initial population: some joined before the start date (their
    # records are history), the rest during the initial window. People
    # added later join on the day they were added.
    return (
        f"case when p >= {world.profiles} then "
        f"(({world.initial_days} + (p - {world.profiles}) // {world.new_per_day}) "
        f"* {SECONDS_PER_DAY} + u1(p, 'since') * {SECONDS_PER_DAY})::bigint "
        f"when u1(p, 'old') < 0.55 "
        f"then -(u1(p, 'since') * 3 * {YEAR_SECONDS})::bigint "
        f"else (u1(p, 'since') * {window})::bigint end"
    )


def _local_part() -> str:
    patterns = (
        "fa || '.' || la || p",
        "fa || p",
        "fa[1] || '.' || la || p",
        "fa || la || p",
        "fa || '_' || la || p",
    )
    branches = " ".join(f"when {k} then {v}" for k, v in enumerate(patterns))
    return f"case floor(u1(p, 'local') * {len(patterns)})::integer {branches} end"


def people_core_sql(p0: int, p1: int, world: World) -> str:
    """Everything about people [p0, p1) that is a function of p alone."""
    account = account_columns("a")
    typo_domain = sqlkit.by_country(
        "domain", {d: quote(t) for d, t in vocab.DOMAIN_TYPOS.items()}, "null"
    )
    city, postal = _postal_and_city("u1(p, 'city')")
    alt_domains = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me"]
    language = sqlkit.by_country(
        "country", {c: quote(lang) for c, lang in vocab.LANGUAGE.items()}, "'en'"
    )
    return f"""
    with base as (
        select
            p,
            p // {ACCOUNT_SIZE} as a,
            p - p % {HOUSEHOLD_SIZE} as household_head,
            u1(p, 'b2b') < 0.15 as is_b2b,
            {_since(world)} as since
        from range({p0}, {p1}) t(p)
    ),
    placed as (
        select *,
            {account["account_country"]} as account_country,
            case when is_b2b and u1(p, 'works_local') < 0.8
                then {account["account_country"]}
                -- Members of a household live in one country.
                else {weighted("u1(household_head, 'country')", vocab.COUNTRY_WEIGHTS)}
            end as country
        from base
    ),
    named as (
        select *,
            {_weighted_region("u1(p, 'region')")} as region,
            {language} as lang
        from placed
    ),
    person as (
        select *,
            {_by_language(vocab.FIRST_NAMES, "u1(p, 'first')")} as first_name,
            {_by_language(vocab.LAST_NAMES, "u1(household_head, 'last')")} as last_name,
            {_email_domain("u1(p, 'domain')")} as domain,
            h2(p, 0, 'postal') as postal_bits
        from named
    ),
    folded as (
        select *,
            {_ascii("first_name")} as fa,
            {_ascii("last_name")} as la
        from person
    ),
    addressed as (
        select *, {_local_part()} as local_part from folded
    )
    select
        p,
        'P' || lpad(cast(p as varchar), 9, '0') as person_key,
        a,
        household_head,
        country,
        region,
        lang,
        first_name,
        last_name,
        fa,
        la,
        domain,
        local_part || '@' || domain as email,
        fa || la || p || '@' || {pick("u1(p, 'alt_domain')", alt_domains)} as alt_email,
        coalesce(
            local_part || '@' || {typo_domain},
            local_part[1:2] || local_part[2:] || '@' || domain
        ) as typo_email,
        'the' || la || 's' || household_head || '@'
            || {_email_domain("u1(household_head, 'family_domain')")} as family_email,
        {_phone_nsn("mobile", "p", 7_919, "mobile")} as mobile_nsn,
        {city} as city,
        {postal} as postal_code,
        {_street("p")} as street,
        since,
        -ln(1 - u1(p, 'activity') * 0.997) as act,
        is_b2b,
        is_b2b and u1(p, 'contact') < 0.75 as is_contact,
        is_b2b and u1(p, 'contact') >= 0.75 as is_lead_only,
        is_b2b and u1(p, 'contact') < 0.75 and u1(p, 'was_lead') < 0.4 as was_lead,
        u1(p, 'shopper') < case when is_b2b then 0.30 else 0.45 end as is_shopper,
        u1(p, 'shopper') < case when is_b2b then 0.30 else 0.45 end
            and u1(p, 'registered') < 0.78 as is_registered,
        u1(p, 'subscriber') < (case when u1(p, 'shopper') < 0.45 then 0.5 else 0.2 end)
            + (case when is_b2b then 0.1 else 0 end) as is_subscriber,
        (u1(p, 'shopper') < case when is_b2b then 0.30 else 0.45 end
            and u1(p, 'registered') < 0.78) or u1(p, 'web') < 0.55 as is_web,
        u1(p, 'loyal') < case when country in ('US', 'CA') then 0.08 else 0.15 end
            as is_loyal,
        u1(p, 'shopper') < case when is_b2b then 0.30 else 0.45 end
            and u1(household_head, 'family') < 0.08 as uses_family_email,
        u1(p, 'typo') < 0.02 as has_typo,
        u1(p, 'alt') < 0.08 as uses_alt_email,
        cast(6000000000000 + p as varchar) as customer_id,
        '003' || lpad(upper(to_hex(p * 16807 % 2147483647)), 12, '0') as contact_id,
        '00Q' || lpad(upper(to_hex(p * 48271 % 2147483647)), 12, '0') as lead_id,
        '01J' || upper(lpad(to_hex(h2(p, 0, 'subscriber')), 16, '0'))
            || upper(lpad(to_hex(p), 7, '0')) as subscriber_id,
        '2' || lpad(cast((p * 7919 + 101) % 100000000000 as varchar), 11, '0')
            || cast((p * 7) % 10 as varchar) as loyalty_id,
        1 + (u1(p, 'devices') > 0.5)::integer + (u1(p, 'devices') > 0.8)::integer
            + (u1(p, 'devices') > 0.95)::integer as n_devices,
        account_country,
        {account["account_id"]} as account_id,
        {account["account_name"]} as account_name,
        {account["company_domain"]} as company_domain,
        {account["office_nsn"]} as office_nsn,
        {account["shares_office_phone"]} as shares_office_phone
    from addressed
    """


def anonymous_id() -> str:
    """A version-4-shaped UUID per device."""
    high = "h3(p, device, 0, 'anon')"
    low = "h3(p, device, 1, 'anon')"
    return (
        f"lower(format('{{:08x}}-{{:04x}}-4{{:03x}}-{{:04x}}-{{:012x}}', "
        f"{high} >> 32, ({high} >> 16) % 65536, {high} % 4096, "
        f"32768 + {low} % 16384, ({low} >> 16) % 281474976710656))"
    )


def devices_sql() -> str:
    """One row per device of a web visitor, with what tracking and the
    consent banner need of its person.

    A device is used from `first_t` on, and carries the shop customer id as
    user_id from `login_t` on (null when it never logs in).
    """
    agents = sqlkit.str_list(vocab.USER_AGENTS)
    locale = sqlkit.by_country(
        "country", {c: quote(loc) for c, loc in vocab.LOCALE.items()}, "'en-US'"
    )
    return f"""
    with expanded as (
        select p, country, region, since, act, is_registered, is_subscriber, is_b2b,
            customer_id, email, work_email, first_name, last_name, mobile_grouped,
            unnest(range(n_devices)) as device
        from people
        where is_web
    )
    select *,
        {anonymous_id()} as anonymous_id,
        {agents}[1 + (h3(p, device, 0, 'agent') % {len(vocab.USER_AGENTS)})::integer]
            as user_agent,
        case when u2(p, device, 'locale') < 0.9 then {locale} else 'en-US' end
            as locale,
        cast(1 + h3(p, device, 0, 'ip') % 223 as varchar) || '.'
            || cast(h3(p, device, 1, 'ip') % 256 as varchar) || '.'
            || cast(h3(p, device, 2, 'ip') % 256 as varchar) || '.'
            || cast(1 + h3(p, device, 3, 'ip') % 254 as varchar) as ip,
        (since - u2(p, device, 'first') * 45 * {SECONDS_PER_DAY})::bigint as first_t,
        case
            when not is_registered then null
            when device = 0 then since
            when u2(p, device, 'login') < 0.7
                then (since
                    + u2(p, device, 'login_t') * 120 * {SECONDS_PER_DAY})::bigint
        end as login_t,
        case when device = 0 then 1.0 else 0.5 end * act as intensity
    from expanded
    """


def chunk_statements(p0: int, p1: int, world: World) -> list[str]:
    """Statements that (re)build the chunk's people, accounts and devices."""
    a0, a1 = p0 // ACCOUNT_SIZE, -(-p1 // ACCOUNT_SIZE)
    mobile_groups = _grouped_nsn("mobile_nsn", "mobile")
    direct_groups = _grouped_nsn("direct_nsn", "landline").replace(
        "case country", "case account_country", 1
    )
    office_groups = _grouped_nsn("office_nsn", "landline").replace(
        "case country", "case account_country", 1
    )
    return [
        f"create or replace temp table accounts as {accounts_sql(a0, a1)}",
        f"create or replace temp table people_core as {people_core_sql(p0, p1, world)}",
        # The attributes that need a window, narrow and sorted: two people
        # of one account with the same name get name2@ as companies do.
        """
        create or replace temp table people_links as
        select p,
            case when is_b2b then fa || '.' || la
                || case when name_rank > 1 then cast(name_rank as varchar) else '' end
                || '@' || company_domain end as work_email
        from (
            select p, is_b2b, fa, la, company_domain,
                row_number() over (partition by a, is_b2b, fa, la order by p)
                    as name_rank
            from people_core
        )
        order by p
        """,
        f"""
        create or replace temp table people as
        select *,
            {mobile_groups} as mobile_grouped,
            {office_groups} as office_grouped,
            {direct_groups} as direct_grouped
        from (
            select *,
                office_nsn[1:-3] || cast(10 + p % {ACCOUNT_SIZE} as varchar)
                    as direct_nsn
            from people_core positional join (select work_email from people_links)
        )
        """,
        f"create or replace temp table devices as {devices_sql()}",
    ]
