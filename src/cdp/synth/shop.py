"""Online shop tables (Shopify-shaped): customers, orders, order lines,
products and refunds.

Shoppers either register (a customer id, which is also their tracking
user_id) or check out as guests (orders with no customer id). The checkout
email is the person's personal address; members of a household may share
one, a few shoppers mistype it and some Gmail users add a "+shop" tag.
Order amounts add up: the subtotal is the sum of the lines.
"""

from __future__ import annotations

from cdp.synth import vocab
from cdp.synth.population import Batch
from cdp.synth.sqlkit import SECONDS_PER_DAY, str_list
from cdp.synth.timeline import (
    entity_loaded,
    events,
    landed,
    ordered,
    repeat_loaded,
    versions,
)

CATALOG_SIZE = 400
COLOURS = ("Black", "Blue", "Green", "Grey", "Red", "Sand", "White", "Navy")
REFUND_REASONS = (
    "damaged",
    "wrong size",
    "not as described",
    "changed mind",
    "late delivery",
    "",
)
# Standard VAT (or a typical US sales tax) by country, applied on top.
TAX_RATE = {
    "US": 0.07,
    "CA": 0.13,
    "GB": 0.20,
    "DE": 0.19,
    "FR": 0.20,
    "NL": 0.21,
    "ES": 0.21,
    "IT": 0.22,
    "IE": 0.23,
    "SE": 0.25,
    "BE": 0.21,
    "AT": 0.20,
    "PL": 0.23,
    "DK": 0.25,
}


def _product(n: str) -> dict[str, str]:
    """Attributes of catalog product number `n`, as expressions of `n` alone,
    so that order lines need no join to the catalog."""
    categories = [category for category, _ in vocab.PRODUCT_CATEGORIES]
    names = [list(items) for _, items in vocab.PRODUCT_CATEGORIES]
    per_category = max(len(items) for items in names)
    name_lists = "[" + ", ".join(str_list(items) for items in names) + "]"
    category_index = f"({n} % {len(categories)})"
    item_list = f"{name_lists}[1 + {category_index}]"
    item = f"{item_list}[1 + ({n} // {len(categories)}) % len({item_list})]"
    colours = str_list(COLOURS)
    variant = (
        f"{colours}[1 + ({n} // {len(categories) * per_category}) % {len(COLOURS)}]"
    )
    return {
        "product_id": f"cast(8000000000 + {n} * 7919 as varchar)",
        "sku": (
            f"upper({str_list(categories)}[1 + {category_index}][1:3]) || '-' || "
            f"lpad(cast({n} as varchar), 4, '0')"
        ),
        "name": f"{item} || ' - ' || {variant}",
        "category": f"{str_list(categories)}[1 + {category_index}]",
        "price": f"(round(5 + pow(u1({n}, 'price'), 2) * 240, 0) - 0.01)",
    }


def global_tables(batch: Batch) -> dict[str, str]:
    product = _product("n")
    source = (
        f"select n, (-u1(n, 'product_created') * 2 * 365 * {SECONDS_PER_DAY})::bigint "
        f"as created from range({CATALOG_SIZE}) t(n)"
    )
    loaded = entity_loaded("vt", "u2(n, v, 'prod_load')")
    product_versions = versions(batch, source, "n", "created", 0.6, "product")
    return {
        "products": f"""
        with version_rows as ({product_versions}),
        timed as (
            select *, {repeat_loaded(loaded, "repeat", "u3(n, v, repeat, 'prod_rl')")}
                as loaded_t
            from version_rows
        )
        select
            key_mess({product["product_id"]}, u2(n, v, 'prod_key')) as product_id,
            {product["sku"]} as sku,
            {product["name"]} as product_name,
            {product["category"]} as category,
            amount({product["price"]} * (1 + 0.1 * v * (u2(n, v, 'reprice') - 0.3)))
                as price,
            bool_text(not (v > 0 and v = n_updates and u1(n, 'retired') < 0.08),
                u2(n, v, 'active_fmt')) as is_active,
            iso(created) as created_at,
            ts_mess(vt, u2(n, v, 'prod_upd'), iso(vt), 1) as updated_at,
            loaded(loaded_t) as _loaded_at
        from timed
        where {landed(batch, "loaded_t")}
        order by n, v, repeat
        """
    }


MAX_LINES = 4


def _line(line: str) -> dict[str, str]:
    """Product, quantity, price and discount of line `line` of order (p, ek):
    expressions, so that the order can add up its lines without a join."""
    product_n = (
        f"floor(pow(u3(p, ek, {line}, 'product'), 1.6) * {CATALOG_SIZE})::integer"
    )
    price = _product(f"({product_n})")["price"]
    quantity = f"(1 + floor(pow(u3(p, ek, {line}, 'qty'), 3) * 3)::integer)"
    discount = (
        f"case when u3(p, ek, {line}, 'line_discount') < 0.1 "
        f"then round({price} * {quantity} * 0.15, 2) else 0 end"
    )
    return {
        "product_n": product_n,
        "price": price,
        "quantity": quantity,
        "discount": discount,
    }


def _order_id(prefix: str) -> str:
    """A numeric id per order (p, ek): prefix, person, event number."""
    return (
        f"'{prefix}' || lpad(cast(p as varchar), 9, '0') "
        f"|| lpad(cast(ek as varchar), 9, '0')"
    )


def prepare(batch: Batch) -> list[str]:
    """Shoppers and their orders, each order with its lines' totals."""
    tax = (
        "case country "
        + " ".join(f"when '{c}' then {r}" for c, r in TAX_RATE.items())
        + " else 0.2 end"
    )
    shoppers = """
        select p, customer_id, is_registered, first_name, last_name, mobile_grouped,
            city, postal_code, country, since, act,
            case
                when uses_family_email then family_email
                when has_typo and u1(p, 'shop_typo') < 0.4 then typo_email
                when domain = 'gmail.com' and u1(p, 'plus_tag') < 0.05
                    then split_part(email, '@', 1) || '+shop@gmail.com'
                else email
            end as shop_email
        from people
        where is_shopper
    """
    orders = events(
        batch,
        "select * from shop_people",
        "p",
        "case when is_registered then 0.6 + 1.6 * act else 0.4 + 0.8 * act end",
        "since",
        "order",
    )
    lines = [_line(str(line)) for line in range(MAX_LINES)]
    subtotal = " + ".join(
        f"case when n_lines > {k} then {line['price']} * {line['quantity']} else 0 end"
        for k, line in enumerate(lines)
    )
    line_discounts = " + ".join(
        f"case when n_lines > {k} then {line['discount']} else 0 end"
        for k, line in enumerate(lines)
    )
    return [
        f"create or replace temp table shop_people as {shoppers}",
        f"""
        create or replace temp table shop_orders as
        with counted as (
            select *,
                1 + floor(pow(u2(p, ek, 'lines'), 2) * {MAX_LINES})::integer as n_lines
            from ({orders})
        ),
        summed as (
            select *, {subtotal} as subtotal, {line_discounts} as line_discounts
            from counted
        )
        select *,
            {_order_id("1")} as order_id,
            case when u2(p, ek, 'order_discount') < 0.2 then round(subtotal * 0.1, 2)
                else 0 end + line_discounts as discount,
            round((subtotal - line_discounts) * ({tax}), 2) as tax,
            case when subtotal >= 50 then 0 else 4.95 end as shipping,
            currency_of(country) as currency,
            case
                when u2(p, ek, 'cancel') < 0.03 then 'cancelled'
                when u2(p, ek, 'refund') < 0.06 then 'refunded'
                when u2(p, ek, 'refund') < 0.08 then 'partially_refunded'
            end as fate,
            (t + (3 + u2(p, ek, 'refund_t') * 20) * {SECONDS_PER_DAY})::bigint
                as refund_t,
            not is_registered or u2(p, ek, 'as_guest') < 0.08 as is_guest
        from summed
        """,
    ]


def tables(batch: Batch) -> dict[str, str]:
    return {
        "customers": _customers(batch),
        "orders": _orders(batch),
        "order_lines": _order_lines(batch),
        "refunds": _refunds(batch),
    }


def _customers(batch: Batch) -> str:
    source = "select * from shop_people where is_registered"
    loaded = entity_loaded("vt", "u2(p, v, 'cust_load')")
    return f"""
    with version_rows as ({versions(batch, source, "p", "since", 0.5, "customer")}),
    timed as (
        select *, {repeat_loaded(loaded, "repeat", "u3(p, v, repeat, 'cust_rl')")}
            as loaded_t
        from version_rows
    )
    select
        key_mess(customer_id, u2(p, v, 'cust_key')) as customer_id,
        email_mess(shop_email, u2(p, v, 'cust_email')) as email,
        case when u1(p, 'cust_phone') < 0.6
            then phone_mess(country, mobile_grouped, u2(p, v, 'cust_phone_fmt')) end
            as phone,
        case when u2(p, v, 'cust_first') < 0.015 then lower(first_name)
            else first_name end as first_name,
        case when u2(p, v, 'cust_last') < 0.015 then upper(last_name)
            else last_name end as last_name,
        bool_text(case when v = 0 then u1(p, 'accepts') < 0.6
            else u2(p, v, 'accepts') < 0.5 end, u2(p, v, 'accepts_fmt'))
            as accepts_marketing,
        city,
        postal_code,
        country_mess(country, u2(p, v, 'cust_country')) as country,
        iso(since) as created_at,
        ts_mess(vt, u2(p, v, 'cust_upd'), iso(vt), utc_offset(country)) as updated_at,
        loaded(loaded_t) as _loaded_at
    from timed
    where {landed(batch, "loaded_t")}
    {ordered(batch, "p, v, repeat")}
    """


def _orders(batch: Batch) -> str:
    # An order is written when placed, again when payment clears (for those
    # first pending) and again when refunded or cancelled.
    steps = """
        [0]
        || case when u2(p, ek, 'pending') < 0.3 then [1] else [] end
        || case when fate is not null then [2] else [] end
    """
    total = "subtotal - discount + tax + shipping"
    return f"""
    with stepped as (
        select *, unnest({steps}) as step from shop_orders
    ),
    written as (
        select *,
            case step when 0 then t
                when 1 then t + (600 + u2(p, ek, 'paid_t') * 7200)::bigint
                else case when fate = 'cancelled'
                    then t + (3600 + u2(p, ek, 'cancel_t') * 86400)::bigint
                    else refund_t end
            end as vt
        from stepped
    ),
    rows as (
        select *,
            {entity_loaded("vt", "u3(p, ek, step, 'order_load')")} as loaded_t,
            unnest(case when u3(p, ek, step, 'order_rep') < 0.01
                then [0, 1] else [0] end) as repeat
        from written
        where vt < {batch.w1}
    ),
    timed as (
        select *,
            {repeat_loaded("loaded_t", "repeat", "u4(p, ek, step, repeat, 'order_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess(order_id, u3(p, ek, step, 'order_key')) as order_id,
        case when not is_guest then customer_id end as customer_id,
        email_mess(shop_email, u3(p, ek, step, 'order_email')) as email,
        case when u2(p, ek, 'order_phone') < 0.5
            then phone_mess(country, mobile_grouped, u2(p, ek, 'order_phone_fmt')) end
            as phone,
        currency,
        amount_mess(subtotal, u3(p, ek, step, 'subtotal_fmt'),
            currency_symbol(currency))
            as subtotal_amount,
        amount(discount) as discount_amount,
        amount(tax) as tax_amount,
        amount(shipping) as shipping_amount,
        amount_mess({total}, u3(p, ek, step, 'total_fmt'), currency_symbol(currency))
            as total_amount,
        case
            when step = 2 and fate = 'cancelled' then 'voided'
            when step = 2 then fate
            when step = 0 and u2(p, ek, 'pending') < 0.3 then 'pending'
            else 'paid'
        end as financial_status,
        country_mess(country, u2(p, ek, 'ship_country')) as shipping_country,
        ts_mess(t, u3(p, ek, step, 'ordered_ts'), iso(t), utc_offset(country))
            as ordered_at,
        case when step = 2 and fate = 'cancelled' then iso(vt) end as cancelled_at,
        iso(vt) as updated_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, step, repeat")}
    """


def _order_lines(batch: Batch) -> str:
    line = _line("line")
    product = _product(f"({line['product_n']})")
    loaded = "t + load_delay(u3(p, ek, 0, 'order_load'))"
    landed_t = repeat_loaded("loaded_t", "repeat", "u4(p, ek, line, repeat, 'line_rl')")
    return f"""
    with rows as (
        select *, greatest({loaded}, 3600) as loaded_t,
            unnest(case when u3(p, ek, line, 'line_rep') < 0.01
                then [0, 1] else [0] end) as repeat
        from (select *, unnest(range(n_lines)) as line from shop_orders)
        where t < {batch.w1}
    ),
    timed as (select *, {landed_t} as landed_t from rows)
    select
        key_mess({_order_id("3")} || cast(line as varchar),
            u3(p, ek, line, 'line_key')) as order_line_id,
        key_mess(order_id, u3(p, ek, line, 'line_order_key')) as order_id,
        {product["product_id"]} as product_id,
        {product["sku"]} as sku,
        cast({line["quantity"]} as varchar) as quantity,
        amount({line["price"]}) as unit_price,
        amount({line["discount"]}) as discount_amount,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, line, repeat")}
    """


def _refunds(batch: Batch) -> str:
    total = "subtotal - discount + tax + shipping"
    reasons = str_list(REFUND_REASONS)
    return f"""
    with rows as (
        select *,
            refund_t + load_delay(u2(p, ek, 'refund_load')) as loaded_t,
            unnest(case when u2(p, ek, 'refund_rep') < 0.012
                then [0, 1] else [0] end) as repeat
        from shop_orders
        where fate in ('refunded', 'partially_refunded') and refund_t < {batch.w1}
    ),
    timed as (
        select *,
            {repeat_loaded("loaded_t", "repeat", "u3(p, ek, repeat, 'refund_rl')")}
            as landed_t
        from rows
    )
    select
        key_mess({_order_id("2")}, u2(p, ek, 'refund_key')) as refund_id,
        order_id,
        amount_mess(case when fate = 'refunded' then {total}
            else round(({total}) * (0.2 + u2(p, ek, 'partial') * 0.6), 2) end,
            u2(p, ek, 'refund_amt'), currency_symbol(currency)) as amount,
        {reasons}[1 + floor(u2(p, ek, 'reason') * {len(REFUND_REASONS)})::integer]
            as reason,
        ts_mess(refund_t, u2(p, ek, 'refund_ts'), iso(refund_t), utc_offset(country))
            as refunded_at,
        loaded(landed_t) as _loaded_at
    from timed
    where {landed(batch, "landed_t")}
    {ordered(batch, "p, ek, repeat")}
    """
