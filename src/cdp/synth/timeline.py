"""When things happen and when they land, as SQL fragments.

The generator models one fixed world: every event and every record version
has a time that depends only on the seed and on what it belongs to, never on
which batch is being generated. A batch is a window on load time: the
initial run keeps what was loaded before the end of its window, a
--next-day run keeps what was loaded on its day. Rows that land late, or
that a source sends again, therefore fall into a later batch by themselves,
with the same ids.

Two shapes cover every table:

- events: a parent row (a device, a shopper, a store customer) with a
  yearly rate gets events in 30-day blocks from the start date on; the
  count per block and the times inside it are drawn per (parent, block);
- versions: a record is written when created and again at each update,
  each write landing as one more row with the same id. History from before
  the start date lands with the initial sync on the first day.
"""

from __future__ import annotations

from cdp.synth.population import YEAR_SECONDS, Batch
from cdp.synth.sqlkit import REPEAT_VERSION, SECONDS_PER_DAY, draw

BLOCK_SECONDS = 30 * SECONDS_PER_DAY
# Updates are scheduled this far past the start date, enough for years of
# --next-day runs.
WORLD_SECONDS = 4 * YEAR_SECONDS
MAX_UPDATES = 6


def block_range(batch: Batch) -> tuple[int, int]:
    """Blocks whose events can land in the batch."""
    first = max(batch.span_start, 0) // BLOCK_SECONDS
    last = -(-batch.w1 // BLOCK_SECONDS)
    return first, last


def block_events(
    batch: Batch, source: str, key: str, rate_per_year: str, active_from: str, salt: str
) -> str:
    """Rows of `source` expanded to events: adds `b` (block), `i` (event
    number in the block), `ek` (b and i as one number) and `t` (event time,
    seconds since the start date).

    `key` identifies the parent (one or more columns, comma-separated); the
    event is identified by (key, b, i).
    """
    first, last = block_range(batch)
    block_start = f"(b * {BLOCK_SECONDS})"
    low = f"greatest({block_start}, {active_from}, 0)"
    high = f"({block_start} + {BLOCK_SECONDS})"
    mean = f"({rate_per_year}) * greatest({high} - {low}, 0) / {YEAR_SECONDS}"
    time_draw = draw(f"{key}, b * 1000 + i", f"{salt}_t")
    count_draw = draw(f"{key}, b", f"{salt}_n")
    return f"""
    select *,
        b * 1000 + i as ek,
        ({low} + floor({time_draw} * ({high} - {low})))::bigint as t
    from (
        select *, unnest(range(n_of({mean}, {count_draw}))) as i
        from (select *, unnest(range({first}, {last})) as b from ({source}))
    )
    """


def landed(batch: Batch, loaded_t: str) -> str:
    """Whether a row loaded at `loaded_t` belongs to this batch."""
    if batch.daily:
        return f"({loaded_t} >= {batch.w0} and {loaded_t} < {batch.w1})"
    return f"({loaded_t} < {batch.w1})"


def happened(batch: Batch, t: str) -> str:
    """Whether something at `t` can have landed by the end of the batch."""
    if batch.daily:
        return f"({t} >= {batch.span_start} and {t} < {batch.w1})"
    return f"({t} < {batch.w1})"


def entity_loaded(t: str, draw: str) -> str:
    """Load time of something written at `t`: hours (or days) later, and
    no earlier than the initial sync on the first day."""
    initial_sync = f"(3600 + floor(({draw}) * 5 * 3600))::bigint"
    return f"greatest({t} + load_delay({draw}), {initial_sync})"


def versions(
    batch: Batch,
    source: str,
    key: str,
    created: str,
    updates_per_year: float,
    salt: str,
) -> str:
    """Rows of `source` expanded to record versions that happened in time to
    land in the batch.

    Adds `v` (0 = as created, 1.. = updates in time order), `n_updates`,
    `vt` (when the version was written) and `repeat` (1 for a copy of a
    version that lands a second time).
    """
    low = f"greatest({created}, 0)"
    n_updates = (
        f"least(n_of({updates_per_year}, u1({key}, 'nupd_{salt}')), {MAX_UPDATES})"
    )
    # Updates are spread over the first year after creation (or after the
    # start date) rather than the whole world, so a record changes most
    # while it is fresh.
    update_time = (
        f"({low} + floor(least({WORLD_SECONDS} - {low}, {YEAR_SECONDS}) "
        f"* (v - 1 + u2({key}, v, 'vt_{salt}')) / n_updates))::bigint"
    )
    return f"""
    select *,
        unnest(case when u2({key}, v, 'repeat_{salt}') < {REPEAT_VERSION}
            then [0, 1] else [0] end) as repeat
    from (
        select *, case when v = 0 then {created} else {update_time} end as vt
        from (
            select *, unnest(range(n_updates + 1)) as v
            from (select *, {n_updates} as n_updates from ({source}))
        )
    )
    where {happened(batch, "vt")}
    """


def repeat_loaded(loaded_t: str, repeat: str, draw: str) -> str:
    """Load time of a row or of its repeated landing: identical for half of
    the repeats, hours to days later for the other half."""
    later = f"(3600 + floor((({draw}) - 0.5) * 6 * {SECONDS_PER_DAY}))::bigint"
    return (
        f"({loaded_t} + case when {repeat} = 1 and ({draw}) >= 0.5 "
        f"then {later} else 0 end)"
    )
