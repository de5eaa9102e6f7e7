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
  yearly rate gets events per segment of time: the initial window is one
  segment, every day added by --next-day another; the count per segment
  and the times inside it are drawn per (parent, segment);
- versions: a record is written when created and again at each update,
  each write landing as one more row with the same id. History from before
  the start date lands with the initial sync on the first day.
"""

from __future__ import annotations

from cdp.synth.population import YEAR_SECONDS, Batch
from cdp.synth.sqlkit import REPEAT_VERSION, SECONDS_PER_DAY, draw

UPDATE_YEARS = 2
MAX_UPDATES = 8
# Events per parent and segment are numbered below this.
SEGMENT_EVENTS = 100_000


def segments(batch: Batch) -> list[tuple[int, int, int]]:
    """(segment, start, end) of the segments whose events can land in the
    batch. Segment 0 is the initial window; segment k > 0 is day k - 1 of a
    later --next-day run."""
    initial_end = batch.world.initial_days * SECONDS_PER_DAY
    found = []
    if batch.span_start < initial_end:
        found.append((0, 0, initial_end))
    first_day = max(batch.world.initial_days, batch.span_start // SECONDS_PER_DAY)
    for day in range(first_day, batch.w1 // SECONDS_PER_DAY):
        found.append((day + 1, day * SECONDS_PER_DAY, (day + 1) * SECONDS_PER_DAY))
    return found


def events(
    batch: Batch, source: str, key: str, rate_per_year: str, active_from: str, salt: str
) -> str:
    """Rows of `source` expanded to events: adds `sg` (segment), `i` (event
    number in the segment), `ek` (both as one number) and `t` (event time,
    seconds since the start date).

    `key` identifies the parent (one to three comma-separated columns); the
    event is identified by (key, ek). The count per parent and segment has
    the mean `rate_per_year` times the parent's active time in the segment.
    """
    parts = []
    for segment, start, end in segments(batch):
        low = f"greatest({start}, {active_from}, 0)"
        mean = f"({rate_per_year}) * greatest({end} - {low}, 0) / {YEAR_SECONDS}"
        count = f"least(n_of({mean}, {draw(f'{key}, {segment}', f'{salt}_n')}), 99999)"
        ek = f"({segment} * {SEGMENT_EVENTS} + i)"
        parts.append(f"""
        select *, {segment} as sg, {ek} as ek,
            ({low} + floor({draw(f"{key}, {ek}", f"{salt}_t")} * ({end} - {low})))
                ::bigint as t
        from (select *, unnest(range({count})) as i from ({source}))
        """)
    if not parts:
        return f"select *, 0 as sg, 0 as i, 0 as ek, 0 as t from ({source}) where false"
    return " union all ".join(parts)


def ordered(batch: Batch, keys: str) -> str:
    """The ORDER BY a batch's output needs.

    The initial window comes out in key order by construction (see
    population); a --next-day batch combines several segments, whose union
    has no guaranteed order, and is small enough to sort.
    """
    return f"order by {keys}" if batch.daily else ""


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
        f"least(n_of({UPDATE_YEARS} * {updates_per_year}, u1({key}, 'nupd_{salt}')), "
        f"{MAX_UPDATES})"
    )
    # Updates are spread over a few years from creation (or from the start
    # date), so that records keep changing on days added by --next-day.
    update_time = (
        f"({low} + floor({UPDATE_YEARS * YEAR_SECONDS} "
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


RESEND_SHARE = 0.03
RESEND_DAYS = 3


def resent(batch: Batch, landed_t: str, draw: str) -> str:
    """A list to append to a row's landings: [2] when the row already landed
    in the days before this --next-day batch and the source sends it again
    (at-least-once delivery after a sync failure), else []."""
    if not batch.daily:
        return "[]"
    since = batch.w0 - RESEND_DAYS * SECONDS_PER_DAY
    return (
        f"case when {landed_t} >= {since} and {landed_t} < {batch.w0} "
        f"and {draw} < {RESEND_SHARE} then [2] else [] end"
    )


def resent_time(batch: Batch, draw: str) -> str:
    """When a resent row lands: some time in the batch's day."""
    return f"({batch.w0} + floor(({draw}) * {SECONDS_PER_DAY}))::bigint"


def repeat_loaded(loaded_t: str, repeat: str, draw: str) -> str:
    """Load time of a row or of its repeated landing: identical for half of
    the repeats, hours to days later for the other half."""
    later = f"(3600 + floor((({draw}) - 0.5) * 6 * {SECONDS_PER_DAY}))::bigint"
    return (
        f"({loaded_t} + case when {repeat} = 1 and ({draw}) >= 0.5 "
        f"then {later} else 0 end)"
    )
