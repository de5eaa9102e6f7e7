"""Web and product tracking in the Segment warehouse shape: identifies,
pages and tracks, one anonymous_id per device.

Visitors come in sessions of a few page views with a few tracked events;
a device carries the shop customer id as user_id from the moment it logs
in. Times are milliseconds: `timestamp` is the client's (corrected) clock,
`received_at` the collector's and the load time. Most calls arrive within
seconds; phones that were offline send theirs hours or days later, and a
few clients run ahead, stamping calls after they were received.
"""

from __future__ import annotations

from cdp.synth.population import Batch
from cdp.synth.shop import CATALOG_SIZE, _product
from cdp.synth.sqlkit import DUPLICATE_EVENT, FUTURE_DATED, SECONDS_PER_DAY, str_list
from cdp.synth.timeline import events, landed, ordered, resent, resent_time

SESSIONS_PER_YEAR = 1.8
PAGES = (
    # (name, path, title)
    ("Home", "/", "Outdoor & Home Goods | Example Shop"),
    ("Product", "/products/", "Product | Example Shop"),
    ("Collection", "/collections/outdoor", "Outdoor | Example Shop"),
    ("Collection", "/collections/home", "Home | Example Shop"),
    ("Search", "/search", "Search results | Example Shop"),
    ("Cart", "/cart", "Your cart | Example Shop"),
    ("Checkout", "/checkout", "Checkout | Example Shop"),
    ("Blog", "/blog/care-guide", "How to care for merino | Example Shop"),
    ("Account", "/account", "Your account | Example Shop"),
    ("Pricing", "/business/pricing", "Business pricing | Example Shop"),
)
CAMPAIGNS = (
    # (source, medium, campaign), each written a few ways by hand
    ("google", "cpc", "brand_search"),
    ("Google", "CPC", "generic_search"),
    ("newsletter", "email", "weekly_picks"),
    ("facebook", "paid_social", "spring_sale"),
    ("Facebook", "Paid Social", "retargeting"),
    ("linkedin", "paid_social", "abm_q1"),
    ("instagram", "social", "creator_collab"),
)
REFERRERS = (
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.facebook.com/",
    "https://l.instagram.com/",
    "https://duckduckgo.com/",
    "",
)
TRACK_EVENTS = (
    # (event_text, weight)
    ("Product Viewed", 0.38),
    ("Product Added", 0.14),
    ("Products Searched", 0.12),
    ("Video Played", 0.08),
    ("Promotion Clicked", 0.07),
    ("Checkout Started", 0.06),
    ("Newsletter Subscribed", 0.03),
    ("Form Submitted", 0.04),
    ("Signed Up", 0.02),
    ("Feature Used", 0.06),
)
SEARCH_TERMS = ("jacket", "merino", "boots", "mug", "lamp", "gift", "sale", "rain")


def _message_id(keys: str, salt: str) -> str:
    return f"'ajs-' || lower(to_hex(h3({keys}, '{salt}')))"


def _times(key: str) -> str:
    """Client time, send time and receipt time in ms, with the late and
    future-dated calls; `ms` is the event time."""
    return f"""
        ms + collect_delay_ms(u3({key}, 'collect')) as received_ms,
        case when u3({key}, 'future') < {FUTURE_DATED}
            then ms + collect_delay_ms(u3({key}, 'collect'))
                + (7200 + u3({key}, 'ahead') * 3 * {SECONDS_PER_DAY})::bigint * 1000
            else ms end as client_ms
    """


def _text(ms: str, key: str) -> str:
    usual = f"cast(ms_at({ms}) as varchar) || 'Z'"
    return f"ts_text(ms_at({ms}), u3({key}, 'ts_fmt'), {usual}, 0)"


def prepare(batch: Batch) -> list[str]:
    """Sessions per device, and the page views inside them."""
    sessions = events(
        batch,
        # Only what page views and events need: unnesting copies every
        # column of every row, so the fewer the faster.
        "select p, device, anonymous_id, user_agent, locale, ip, first_t, login_t, "
        "intensity, customer_id, country, is_b2b from devices",
        "p, device",
        f"{SESSIONS_PER_YEAR} * intensity",
        "first_t",
        "session",
    )
    return [
        f"""
        create or replace temp table tracking_sessions as
        select *,
            1 + floor(pow(u3(p, device, ek, 'pages'), 2) * 6)::integer as page_count,
            floor(pow(u3(p, device, ek, 'tracks'), 1.5) * 4)::integer as track_count,
            u3(p, device, ek, 'campaign') < 0.25 as has_campaign,
            floor(u3(p, device, ek, 'campaign_pick') * {len(CAMPAIGNS)})::integer
                as campaign_index,
            case when login_t is not null and t >= login_t then customer_id end
                as session_user_id
        from ({sessions})
        """,
    ]


def tables(batch: Batch) -> dict[str, str]:
    return {
        "identifies": _identifies(batch),
        "pages": _pages(batch),
        "tracks": _tracks(batch),
    }


def _landing(batch: Batch, source: str, key: str, order: str) -> str:
    """Adds receipt times and repeated deliveries; keeps this batch's calls."""
    resend_draw = f"u4({key}, {batch.tag}, 'resend')"
    return f"""
    with timed as (select *, {_times(key)} from ({source})),
    repeated as (
        select *,
            unnest(case when u3({key}, 'dup') < {DUPLICATE_EVENT} then [0, 1]
                else [0] end || {resent(batch, "(received_ms // 1000)", resend_draw)})
                as repeat
        from timed
    ),
    received as (
        select *,
            case
                when repeat = 2 then {resent_time(batch, resend_draw)} * 1000
                    + received_ms % 1000
                when repeat = 1 and u3({key}, 'dup_later') < 0.5 then received_ms
                    + (3600 + u3({key}, 'dup_gap') * 2 * {SECONDS_PER_DAY})::bigint
                    * 1000
                else received_ms
            end as landed_ms
        from repeated
    )
    select * from received
    where {landed(batch, "(landed_ms // 1000)")}
    {ordered(batch, order + ", repeat")}
    """


def _pages(batch: Batch) -> str:
    names = str_list(name for name, _, _ in PAGES)
    paths = str_list(path for _, path, _ in PAGES)
    titles = str_list(title for _, _, title in PAGES)
    sources = str_list(source for source, _, _ in CAMPAIGNS)
    mediums = str_list(medium for _, medium, _ in CAMPAIGNS)
    campaigns = str_list(campaign for _, _, campaign in CAMPAIGNS)
    product = _product("product_n")
    page_index = (
        f"case when j = 0 and u3(p, device, ek, 'landing') < 0.5 then 0 "
        f"when is_b2b and u4(p, device, ek, j, 'b2b_page') < 0.3 then {len(PAGES) - 1} "
        f"else floor(u4(p, device, ek, j, 'page') * {len(PAGES) - 1})::integer end"
    )
    source = f"""
        select *,
            t * 1000
                + j * (15000 + floor(u4(p, device, ek, j, 'dwell') * 90000))::bigint
                as ms,
            {page_index} as page_n,
            floor(pow(u4(p, device, ek, j, 'product'), 1.6) * {CATALOG_SIZE})::integer
                as product_n,
            (p * 100000 + ek) * 8 + j as page_key
        from (select *, unnest(range(page_count)) as j from tracking_sessions)
    """
    path = (
        "case when page_n = 1 then '/products/' || "
        f"lower(replace({product['name']}, ' ', '-'))"
        f" else {paths}[page_n + 1] end"
    )
    search = (
        f"case when j = 0 and has_campaign then '?utm_source=' || "
        f"{sources}[campaign_index + 1] || '&utm_medium=' || "
        f"{mediums}[campaign_index + 1]"
        f" || '&utm_campaign=' || {campaigns}[campaign_index + 1] "
        f"when page_n = 4 then '?q=' || {str_list(SEARCH_TERMS)}"
        f"[1 + floor(u3(p, device, page_key, 'q') * {len(SEARCH_TERMS)})::integer] "
        f"else '' end"
    )
    rows = _landing(batch, source, "p, device, page_key", "p, device, ek, j")
    return f"""
    with rows as ({rows}),
    described as (
        select *, {path} as page_path, {search} as page_search from rows
    )
    select
        key_mess({_message_id("p, device, page_key", "page")},
            u3(p, device, page_key, 'id_missing')) as id,
        anonymous_id,
        session_user_id as user_id,
        {names}[page_n + 1] as name,
        page_path as path,
        'https://shop.example.com' || page_path || page_search as url,
        case when j = 0 then
            {str_list(REFERRERS)}[1 + floor(u3(p, device, ek, 'referrer')
                * {len(REFERRERS)})::integer]
            else 'https://shop.example.com/' end as referrer,
        case when page_n = 1 then {product["name"]} || ' | Example Shop'
            else {titles}[page_n + 1] end as title,
        page_search as search,
        case when j = 0 and has_campaign then {sources}[campaign_index + 1] end
            as context_campaign_source,
        case when j = 0 and has_campaign then {mediums}[campaign_index + 1] end
            as context_campaign_medium,
        case when j = 0 and has_campaign then {campaigns}[campaign_index + 1] end
            as context_campaign_name,
        ip as context_ip,
        user_agent as context_user_agent,
        locale as context_locale,
        {_text("client_ms", "p, device, page_key")} as "timestamp",
        cast(ms_at(client_ms + 40) as varchar) || 'Z' as sent_at,
        cast(ms_at(landed_ms) as varchar) || 'Z' as received_at
    from described
    """


def _tracks(batch: Batch) -> str:
    weights = dict(TRACK_EVENTS)
    names = list(weights)
    cumulative, branches = 0.0, []
    for index, name in enumerate(names[:-1]):
        cumulative += weights[name]
        branches.append(f"when u < {cumulative:.4f} then {index}")
    pick_event = f"case {' '.join(branches)} else {len(names) - 1} end"
    texts = str_list(names)
    product = _product("product_n")
    properties = f"""
        case event_text
            when 'Product Viewed' then '{{"product_id":"' || {product["product_id"]}
                || '","sku":"' || {product["sku"]} || '","price":'
                || amount({product["price"]}) || ',"currency":"'
                || currency_of(country) || '"}}'
            when 'Product Added' then '{{"product_id":"' || {product["product_id"]}
                || '","quantity":'
                || cast(1 + (u3(p, device, track_key, 'qty') < 0.2)::integer
                    as varchar)
                || ',"price":' || amount({product["price"]}) || '}}'
            when 'Products Searched' then '{{"query":"' || {str_list(SEARCH_TERMS)}
                [1 + floor(u3(p, device, track_key, 'q') * {len(SEARCH_TERMS)})
                    ::integer]
                || '"}}'
            when 'Checkout Started' then '{{"value":'
                || amount({product["price"]} * 1.6)
                || ',"currency":"' || currency_of(country) || '","items":2}}'
            when 'Form Submitted' then '{{"form_id":"' || case when is_b2b
                then 'demo_request' else 'contact_us' end || '"}}'
            when 'Video Played' then '{{"video_id":"v'
                || cast(product_n % 12 as varchar)
                || '","position":' || cast(floor(u3(p, device, track_key, 'pos') * 90)
                    ::integer as varchar) || '}}'
            when 'Feature Used' then '{{"feature":"' || ['wishlist', 'size_guide',
                'compare', 'store_locator'][1 + (product_n % 4)] || '"}}'
            else '{{}}'
        end
    """
    source = f"""
        select *,
            t * 1000
                + (5000 + floor(u4(p, device, ek, j, 'track_dwell') * 240000))::bigint
                as ms,
            floor(pow(u4(p, device, ek, j, 'track_product'), 1.6) * {CATALOG_SIZE})
                ::integer
                as product_n,
            (p * 100000 + ek) * 8 + j as track_key,
            {pick_event.replace("u <", "u4(p, device, ek, j, 'event') <")} as event_n
        from (select *, unnest(range(track_count)) as j from tracking_sessions)
    """
    rows = _landing(batch, source, "p, device, track_key", "p, device, ek, j")
    return f"""
    with rows as ({rows}),
    named as (select *, {texts}[event_n + 1] as event_text from rows)
    select
        key_mess({_message_id("p, device, track_key", "track")},
            u3(p, device, track_key, 'id_missing')) as id,
        anonymous_id,
        session_user_id as user_id,
        lower(replace(event_text, ' ', '_')) as event,
        case when u3(p, device, track_key, 'text_case') < 0.05 then lower(event_text)
            else event_text end as event_text,
        {properties} as properties,
        ip as context_ip,
        user_agent as context_user_agent,
        'https://shop.example.com/products/'
            || lower(replace({product["name"]}, ' ', '-'))
            as context_page_url,
        {_text("client_ms", "p, device, track_key")} as "timestamp",
        cast(ms_at(client_ms + 25) as varchar) || 'Z' as sent_at,
        cast(ms_at(landed_ms) as varchar) || 'Z' as received_at
    from named
    """


def _identifies(batch: Batch) -> str:
    # Who a device says it is: at login (user id and traits), at a
    # newsletter sign-up (email only), at a B2B form (work email), and
    # again now and then while logged in.
    source = f"""
        with calls as (
            select *,
                unnest(
                    case when login_t is not null then [0] else [] end
                    || case when device = 0 and is_subscriber
                        and not is_registered then [1] else [] end
                    || case when device = 0 and is_b2b then [2] else [] end
                    || case when login_t is not null
                        then range(3, 3 + n_of(1.5 * intensity, u2(p, device, 're_id')))
                        else [] end
                ) as kind
            from devices
        )
        select *,
            case kind
                when 0 then login_t
                when 1 then (greatest(since, first_t, 0)
                    + u2(p, device, 'signup_t') * 20 * {SECONDS_PER_DAY})::bigint
                when 2 then (greatest(since, first_t, 0)
                    + u2(p, device, 'form_t') * 60 * {SECONDS_PER_DAY})::bigint
                else (greatest(login_t, 0) + u3(p, device, kind, 're_id_t')
                    * 365 * {SECONDS_PER_DAY})::bigint
            end * 1000 + floor(u3(p, device, kind, 'ms') * 1000)::bigint as ms,
            (p * 8 + device) * 64 + kind as identify_key
        from calls
    """
    rows = _landing(
        batch,
        f"select * from ({source}) where ms >= 0",
        "p, device, identify_key",
        "p, device, kind",
    )
    return f"""
    with rows as ({rows})
    select
        key_mess({_message_id("p, device, identify_key", "identify")},
            u3(p, device, identify_key, 'id_missing')) as id,
        anonymous_id,
        case when kind in (0) or kind >= 3 then customer_id end as user_id,
        email_mess(case when kind = 2 then work_email else email end,
            u3(p, device, identify_key, 'id_email')) as email,
        case when kind in (0, 3) and u2(p, device, 'id_phone') < 0.3
            then phone_mess(country, mobile_grouped,
                u3(p, device, identify_key, 'id_phone'))
            end as phone,
        case when kind <> 1 then first_name end as first_name,
        case when kind <> 1 then last_name end as last_name,
        ip as context_ip,
        user_agent as context_user_agent,
        locale as context_locale,
        {_text("client_ms", "p, device, identify_key")} as "timestamp",
        cast(ms_at(client_ms + 30) as varchar) || 'Z' as sent_at,
        cast(ms_at(landed_ms) as varchar) || 'Z' as received_at
    from rows
    """
