"""SQL building blocks of the generator: seeded randomness and messy values.

Randomness is a hash, not a random-number stream: every draw is
`hash(seed, key..., salt)` mapped to [0, 1). A value therefore depends only
on the seed, the thing it describes (a person, a device, an event number)
and the salt that names the draw, never on chunking, thread scheduling or
the order rows are computed in. That is what keeps the output byte-identical
across runs and chunk sizes.

The mess rates are the module-level constants below; generate.py documents
them for users of the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from cdp.synth import vocab

# Mess rates, as a share of the rows (or values) they apply to.
EMAIL_CASE_NOISE = 0.02  # "Anna.Smith@Example.COM", "ANNA.SMITH@EXAMPLE.COM"
EMAIL_SPACE_NOISE = 0.01  # "  anna.smith@example.com "
EMAIL_INVALID = 0.005  # "anna.smith@", "n/a", "anna.smith at example.com"
EMAIL_JUNK = 0.005  # test@test.com, unknown, none@none.com
PHONE_INVALID = 0.005  # "12", "n/a"
PHONE_JUNK = 0.004  # 0000000000
COUNTRY_SPELLED = 0.25  # a name, alias or lower-case code instead of "DE"
MISSING_KEY = 0.003  # required id empty ('' or NULL)
BAD_TIMESTAMP = 0.004  # "not a date", "2026-02-30 10:00", "31/12/2026"
OTHER_TS_FORMAT = 0.03  # a parseable format other than the source's usual one
BAD_AMOUNT = 0.004  # "12,3,4", "abc"
FORMATTED_AMOUNT = 0.01  # "$1,234.50", " 12.30 ": parseable after cleanup
DUPLICATE_EVENT = 0.012  # the same event id lands twice
REPEAT_VERSION = 0.01  # an entity version lands twice, identical
LATE_LOAD = 0.03  # loaded 2-9 days after the event instead of hours
FUTURE_DATED = 0.006  # tracking timestamp hours or days after received_at

SECONDS_PER_DAY = 86_400
# 2**53: the hash's top 53 bits become the mantissa of a double in [0, 1).
_UNIT = 9_007_199_254_740_992.0


def draw(keys: str, salt: str) -> str:
    """A uniform [0, 1) draw for comma-separated key expressions and a salt."""
    count = keys.count(",") + 1
    if not 1 <= count <= 4:
        raise ValueError(f"draw() takes one to four keys, got {keys!r}")
    return f"u{count}({keys}, '{salt}')"


def quote(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def str_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(quote(value) for value in values) + "]"


def pick(u: str, values: Sequence[str]) -> str:
    """One of `values`, uniformly, by the draw `u`."""
    return f"{str_list(values)}[1 + floor(({u}) * {len(values)})::integer]"


def weighted(u: str, weights: Mapping[str, float]) -> str:
    """One key of `weights` by the draw `u`, each with its share."""
    total = sum(weights.values())
    branches, cumulative = [], 0.0
    items = list(weights.items())
    for key, weight in items[:-1]:
        cumulative += weight / total
        branches.append(f"when ({u}) < {cumulative:.6f} then {quote(key)}")
    return f"case {' '.join(branches)} else {quote(items[-1][0])} end"


def by_country(country: str, values: Mapping[str, str], default: str) -> str:
    """A SQL expression chosen per country code."""
    branches = " ".join(
        f"when {quote(code)} then {expression}" for code, expression in values.items()
    )
    return f"case {country} {branches} else {default} end"


def macros(seed: int, start_epoch_seconds: int) -> list[str]:
    """Temporary macros every generator query uses.

    t-values are whole seconds (or, for ms_at, milliseconds) since the start
    of the generated window, which keeps arithmetic in integers.
    """
    start_micros = start_epoch_seconds * 1_000_000
    return [
        # DuckDB combines the hashes of several arguments almost linearly:
        # draws that differ only in their salt come out strongly correlated.
        # Hashing the combined value again decorrelates them.
        f"create or replace temp macro u1(a, s) as "
        f"(hash(hash({seed}, a, s)) >> 11) / {_UNIT}",
        f"create or replace temp macro u2(a, b, s) as "
        f"(hash(hash({seed}, a, b, s)) >> 11) / {_UNIT}",
        f"create or replace temp macro u3(a, b, c, s) as "
        f"(hash(hash({seed}, a, b, c, s)) >> 11) / {_UNIT}",
        f"create or replace temp macro u4(a, b, c, d, s) as "
        f"(hash(hash({seed}, a, b, c, d, s)) >> 11) / {_UNIT}",
        f"create or replace temp macro h2(a, b, s) as hash(hash({seed}, a, b, s))",
        f"create or replace temp macro h3(a, b, c, s) as "
        f"hash(hash({seed}, a, b, c, s))",
        # A count with the given mean: its integer part plus one more with
        # the probability of its fraction, so counts are exact on average.
        "create or replace temp macro n_of(mean, u) as "
        "(floor(mean) + (u < mean - floor(mean))::integer)::integer",
        f"create or replace temp macro ts_at(t) as "
        f"make_timestamp({start_micros} + (t)::bigint * 1000000)",
        f"create or replace temp macro ms_at(t) as "
        f"make_timestamp({start_micros} + (t)::bigint * 1000)",
        "create or replace temp macro iso(t) as "
        "strftime(ts_at(t), '%Y-%m-%dT%H:%M:%SZ')",
        "create or replace temp macro plain(t) as cast(ts_at(t) as varchar)",
        "create or replace temp macro day_of(t) as "
        "cast(cast(ts_at(t) as date) as varchar)",
        # Loader times are clean: the loader, not a person, writes them.
        "create or replace temp macro loaded(t) as cast(ts_at(t) as varchar) || 'Z'",
        "create or replace temp macro amount(x) as "
        "cast(round(x, 2)::decimal(14, 2) as varchar)",
        # Hours after the event for most rows; days for the late ones.
        f"create or replace temp macro load_delay(u) as case "
        f"when u < {LATE_LOAD} then (2 * {SECONDS_PER_DAY} + u / {LATE_LOAD} "
        f"* 7 * {SECONDS_PER_DAY})::bigint "
        f"else (3600 + (u - {LATE_LOAD}) / (1 - {LATE_LOAD}) * 29 * 3600)::bigint end",
        # Collector latency in milliseconds: about a second, except phones
        # that were offline and send their queue hours or days later.
        f"create or replace temp macro collect_delay_ms(u) as case "
        f"when u < {LATE_LOAD} then (3600000 + u / {LATE_LOAD} "
        f"* 6 * {SECONDS_PER_DAY} * 1000)::bigint "
        f"else (50 + (u - {LATE_LOAD}) * 3000)::bigint end",
        "create or replace temp macro bool_text(b, u) as case "
        "when b is null then null "
        "when u < 0.7 then case when b then 'true' else 'false' end "
        "when u < 0.9 then case when b then '1' else '0' end "
        "else case when b then 'TRUE' else 'FALSE' end end",
        "create or replace temp macro utc_offset(country) as "
        + by_country(
            "country",
            {c: str(vocab.utc_offset_of(c)) for c in vocab.COUNTRY_WEIGHTS},
            "0",
        ),
        "create or replace temp macro currency_of(country) as "
        + by_country(
            "country",
            {c: quote(vocab.currency_of(c)) for c in vocab.COUNTRY_WEIGHTS},
            "'EUR'",
        ),
        "create or replace temp macro currency_symbol(currency) as case currency "
        "when 'USD' then '$' when 'CAD' then '$' when 'GBP' then '£' "
        "when 'EUR' then '€' else '' end",
        *_messy_timestamp_macro(),
        _messy_amount_macro(),
        _messy_email_macro(),
        _messy_key_macro(),
        _phone_macro(),
        _country_macro(),
    ]


def _messy_timestamp_macro() -> list[str]:
    """A required timestamp as a source writes it.

    `primary_text` is the source's usual text, `offset_h` the writer's UTC
    offset in hours for the occasional local-time-with-offset value.
    `ts_text` takes a timestamp, `ts_mess` seconds since the start date.
    """
    bad = BAD_TIMESTAMP
    other = bad + OTHER_TS_FORMAT
    local = (
        "strftime(ts + to_hours(offset_h), '%Y-%m-%dT%H:%M:%S') || "
        "case when offset_h < 0 then '-' else '+' end || "
        "lpad(abs(offset_h)::varchar, 2, '0') || ':00'"
    )
    return [
        f"""
    create or replace temp macro ts_text(ts, u, primary_text, offset_h) as
    case
        when u < {bad / 3:.6f} then 'not a date'
        when u < {2 * bad / 3:.6f} then strftime(ts, '%Y-02-30 %H:%M')
        when u < {bad:.6f} then strftime(ts, '%d/%m/%Y')
        when u < {bad + (other - bad) / 4:.6f} then {local}
        when u < {bad + (other - bad) / 2:.6f} then cast(ts as varchar) || 'Z'
        when u < {bad + 3 * (other - bad) / 4:.6f} then cast(ts as varchar)
        when u < {other:.6f} then strftime(ts, '%Y-%m-%dT%H:%M:%SZ')
        else primary_text
    end""",
        "create or replace temp macro ts_mess(t, u, primary_text, offset_h) as "
        "ts_text(ts_at(t), u, primary_text, offset_h)",
    ]


def _messy_amount_macro() -> str:
    """A money amount as text: mostly "12.30", some needing cleanup, a few
    unreadable. `symbol` is the currency sign used in formatted values."""
    bad = BAD_AMOUNT
    formatted = bad + FORMATTED_AMOUNT
    return f"""
    create or replace temp macro amount_mess(x, u, symbol) as
    case
        when u < {bad / 2:.6f} then '12,3,4'
        when u < {bad:.6f} then 'abc'
        when u < {bad + FORMATTED_AMOUNT / 2:.6f}
            then symbol || format('{{:,.2f}}', round(x, 2))
        when u < {formatted:.6f} then ' ' || amount(x) || ' '
        else amount(x)
    end"""


def _messy_email_macro() -> str:
    """An address as a person or system typed it."""
    case_noise = EMAIL_CASE_NOISE
    space = case_noise + EMAIL_SPACE_NOISE
    invalid = space + EMAIL_INVALID
    junk = invalid + EMAIL_JUNK
    capitalised = (
        "upper(e[1]) || split_part(e, '@', 1)[2:] || '@' || "
        "upper(split_part(e, '@', 2)[1]) || split_part(e, '@', 2)[2:]"
    )
    return f"""
    create or replace temp macro email_mess(e, u) as
    case
        when e is null then null
        when u < {case_noise / 2:.6f} then {capitalised}
        when u < {case_noise:.6f} then upper(e)
        when u < {space - EMAIL_SPACE_NOISE / 2:.6f} then '  ' || e || ' '
        when u < {space:.6f} then ' ' || {capitalised}
        when u < {space + EMAIL_INVALID / 3:.6f} then split_part(e, '@', 1) || '@'
        when u < {space + 2 * EMAIL_INVALID / 3:.6f} then 'n/a'
        when u < {invalid:.6f} then replace(e, '@', ' at ')
        when u < {invalid + EMAIL_JUNK / 3:.6f} then 'test@test.com'
        when u < {invalid + 2 * EMAIL_JUNK / 3:.6f} then 'unknown'
        when u < {junk:.6f} then 'none@none.com'
        else e
    end"""


def _messy_key_macro() -> str:
    """A required id, occasionally missing: empty text or no value at all."""
    return f"""
    create or replace temp macro key_mess(k, u) as
    case
        when u < {MISSING_KEY / 2:.6f} then ''
        when u < {MISSING_KEY:.6f} then null
        else k
    end"""


def _phone_macro() -> str:
    """A phone as people write it, from the country and the grouped national
    significant number ("415 555 0134", "30 1234567")."""
    plans = vocab.PHONE_PLANS
    calling = by_country(
        "country", {c: quote(p.calling_code) for c, p in plans.items()}, "''"
    )
    trunk = by_country("country", {c: quote(p.trunk) for c, p in plans.items()}, "''")
    compact = "replace(grouped, ' ', '')"
    nanp = (
        "'(' || grouped[1:3] || ') ' || grouped[5:7] || '-' || grouped[9:12]",
        "grouped[1:3] || '.' || grouped[5:7] || '.' || grouped[9:12]",
        "'1-' || grouped[1:3] || '-' || grouped[5:7] || '-' || grouped[9:12]",
    )
    special = by_country(
        "country",
        {
            "US": nanp[1],
            "CA": nanp[2],
            "DE": "'+49 (0)' || grouped",
            "AT": "'+43 (0)' || grouped",
            "GB": "'+44 (0)' || grouped",
            "FR": f"({trunk}) || replace(grouped, ' ', '.')",
        },
        f"({trunk}) || {compact}",
    )
    national = by_country(
        "country", {"US": nanp[0], "CA": nanp[0]}, f"({trunk}) || grouped"
    )
    bad = PHONE_INVALID
    junk = bad + PHONE_JUNK
    return f"""
    create or replace temp macro phone_mess(country, grouped, u) as
    case
        when grouped is null then null
        when u < {bad / 2:.6f} then '12'
        when u < {bad:.6f} then 'n/a'
        when u < {junk:.6f} then '0000000000'
        when u < 0.40 then {national}
        when u < 0.58 then '+' || ({calling}) || ' ' || grouped
        when u < 0.76 then '+' || ({calling}) || {compact}
        when u < 0.84 then ({trunk}) || {compact}
        when u < 0.90 then '00' || ({calling}) || ' ' || grouped
        else {special}
    end"""


def _country_macro() -> str:
    """A country as typed: mostly the ISO code, sometimes a name or alias."""
    spelled = by_country(
        "code",
        {
            code: pick(f"u / {COUNTRY_SPELLED}", spellings)
            for code, spellings in vocab.COUNTRY_SPELLINGS.items()
        },
        "code",
    )
    return f"""
    create or replace temp macro country_mess(code, u) as
    case when u < {COUNTRY_SPELLED} then {spelled} else code end"""


def e164(country: str, nsn: str) -> str:
    """The E.164 form of a national significant number."""
    plans = vocab.PHONE_PLANS
    calling = by_country(
        country, {c: quote(p.calling_code) for c, p in plans.items()}, "''"
    )
    return f"'+' || ({calling}) || {nsn}"


def grouped(digits: str, groups: Sequence[int]) -> str:
    """Digits split into space-separated groups; the last takes the rest."""
    parts, position = [], 1
    for size in groups[:-1]:
        parts.append(f"{digits}[{position}:{position + size - 1}]")
        position += size
    parts.append(f"{digits}[{position}:]")
    return " || ' ' || ".join(parts)


def unique_digits(n: str, digits: int, multiplier: int, offset: int) -> str:
    """`digits` digits, the first 2-9, distinct for every n below 8 * 10**(digits-1).

    n -> (n * multiplier + offset) mod m is a bijection on 0..m-1 when the
    multiplier is coprime with m (m = 8 * 10**k: no factor 2 or 5).
    """
    low = 2 * 10 ** (digits - 1)
    modulus = 8 * 10 ** (digits - 1)
    return (
        f"cast({low} + (({n})::bigint * {multiplier} + {offset}) % {modulus} "
        f"as varchar)"
    )


def pattern_fill(pattern: str, bits: str) -> str:
    """Fills a postal-code pattern from one hash: '#' a digit, '@' a letter,
    anything else literal. Each position reads its own 6 bits of `bits`."""
    parts = []
    for position, char in enumerate(pattern):
        chunk = f"(({bits} >> {6 * position}) % 64)"
        if char == "#":
            parts.append(f"chr(48 + ({chunk} % 10)::integer)")
        elif char == "@":
            parts.append(f"chr(65 + ({chunk} % 26)::integer)")
        else:
            parts.append(quote(char))
    return " || ".join(parts)
