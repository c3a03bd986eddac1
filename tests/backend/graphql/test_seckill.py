"""Flash sales over GraphQL: admin set-up, buying, tickets, limits, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill.models import SeckillEvent
from tests.backend.helpers import Api, token_for
from tests.backend.seckill.factories import drain

ERRORS = "userErrors { field message code }"
CREATE = f"""mutation($input: SeckillEventInput!) {{
  seckillEventCreate(input: $input) {{ event {{ id status remainingStock totalStock perUserLimit }} {ERRORS} }}
}}"""
WARM = f"mutation($id: ID!) {{ seckillEventWarmup(id: $id) {{ event {{ id remainingStock }} {ERRORS} }} }}"
BUY = f"mutation($id: ID!, $q: Int) {{ seckillBuy(eventId: $id, quantity: $q) {{ ticket {{ id status }} {ERRORS} }} }}"
TICKET = "query($id: ID!) { seckillTicket(id: $id) { id status quantity failureReason event { remainingStock } order { status total { amount } } } }"
AUDIT = "query($id: ID!) { seckillEventAudit(id: $id) { passed oversold undersold sold remaining checks { name passed } } }"


async def _admin_creates_sale(api: Api, admin: str, *, units: int = 2, starts_in: int = -60) -> str:
    product = await Product.create(
        name="Phone X", slug="phone-x", price=Decimal("999.00"), stock=units + 5
    )
    starts = datetime.now(UTC) + timedelta(seconds=starts_in)
    body = await api.gql(
        CREATE,
        {
            "input": {
                "productId": encode_id("Product", product.id),
                "price": "499.00",
                "totalStock": units,
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=1)).isoformat(),
                "perUserLimit": 1,
            }
        },
        token=admin,
    )
    payload = body["data"]["seckillEventCreate"]
    assert payload["userErrors"] == [], payload
    assert (await Product.get(id=product.id)).stock == 5
    return str(payload["event"]["id"])


async def _shopper(email: str) -> str:
    user = await User.create(email=email, password_hash="x")
    return token_for(user.id)


async def test_admin_sets_up_and_shoppers_buy(api: Api, runtime: Runtime) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    event_id = await _admin_creates_sale(api, admin, units=1)
    warmed = (await api.gql(WARM, {"id": event_id}, token=admin))["data"]["seckillEventWarmup"]
    assert warmed["event"]["remainingStock"] == 1

    ann, bob = await _shopper("ann@example.com"), await _shopper("bob@example.com")
    won = (await api.gql(BUY, {"id": event_id}, token=ann))["data"]["seckillBuy"]
    assert won["userErrors"] == [] and won["ticket"]["status"] == "QUEUED"
    lost = (await api.gql(BUY, {"id": event_id}, token=bob))["data"]["seckillBuy"]
    assert lost["ticket"] is None and lost["userErrors"][0]["code"] == "SOLD_OUT"
    again = (await api.gql(BUY, {"id": event_id}, token=ann))["data"]["seckillBuy"]
    assert again["userErrors"][0]["code"] in ("ALREADY_PURCHASED", "SOLD_OUT")

    ticket_id = won["ticket"]["id"]
    queued = (await api.gql(TICKET, {"id": ticket_id}, token=ann))["data"]["seckillTicket"]
    assert queued["status"] == "QUEUED" and queued["order"] is None
    assert (await api.gql(TICKET, {"id": ticket_id}, token=bob))["data"]["seckillTicket"] is None

    await drain(runtime)
    done = (await api.gql(TICKET, {"id": ticket_id}, token=ann))["data"]["seckillTicket"]
    assert done["status"] == "SUCCEEDED"
    assert done["order"] == {"status": "PENDING_PAYMENT", "total": {"amount": "499.00"}}
    assert done["event"]["remainingStock"] == 0
    sale = await api.gql(
        "query($id: ID!) { seckillEvent(id: $id) { status remainingStock } }", {"id": event_id}
    )
    assert sale["data"]["seckillEvent"] == {"status": "SOLD_OUT", "remainingStock": 0}

    audit = (await api.gql(AUDIT, {"id": event_id}, token=admin))["data"]["seckillEventAudit"]
    assert (
        audit["passed"]
        and audit["oversold"] == 0
        and audit["undersold"] == 0
        and audit["sold"] == 1
    )


STATS = "query($id: ID!) { seckillEventStats(id: $id, seconds: 3) { ticketsQueued ticketsSucceeded ticketsFailed attemptsPerSecond { second attempts } } }"


async def test_control_room_stats_are_for_admins(api: Api, runtime: Runtime) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    event_id = await _admin_creates_sale(api, admin, units=1)
    await api.gql(WARM, {"id": event_id}, token=admin)
    shopper = await _shopper("ann@example.com")
    assert (await api.gql(BUY, {"id": event_id}, token=shopper))["data"]["seckillBuy"]["ticket"]

    stats = (await api.gql(STATS, {"id": event_id}, token=admin))["data"]["seckillEventStats"]
    assert (stats["ticketsQueued"], stats["ticketsSucceeded"], stats["ticketsFailed"]) == (1, 0, 0)
    seconds = [datetime.fromisoformat(s["second"]) for s in stats["attemptsPerSecond"]]
    assert seconds == [seconds[0] + timedelta(seconds=n) for n in range(3)]
    await drain(runtime)
    stats = (await api.gql(STATS, {"id": event_id}, token=admin))["data"]["seckillEventStats"]
    assert (stats["ticketsQueued"], stats["ticketsSucceeded"]) == (0, 1)

    refused = await api.gql(STATS, {"id": event_id}, token=shopper)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await api.gql(STATS, {"id": encode_id("SeckillEvent", 999)}, token=admin)
    assert unknown["data"]["seckillEventStats"] is None


async def test_not_started_and_bad_input(api: Api) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    event_id = await _admin_creates_sale(api, admin, starts_in=600)
    shopper = await _shopper("early@example.com")
    early = (await api.gql(BUY, {"id": event_id}, token=shopper))["data"]["seckillBuy"]
    assert early["userErrors"][0]["code"] == "NOT_STARTED"
    for quantity in (0, -3, 10_000):
        body = (await api.gql(BUY, {"id": event_id, "q": quantity}, token=shopper))["data"][
            "seckillBuy"
        ]
        assert body["userErrors"][0]["code"] == "INVALID", quantity
    malformed = await api.gql(BUY, {"id": "nope"}, token=shopper)
    assert malformed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    anonymous = await api.gql(BUY, {"id": event_id})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_bad_sale_input_is_typed(api: Api) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    product = await Product.create(name="Lamp", slug="lamp", price=Decimal("10.00"), stock=3)
    now = datetime.now(UTC)
    base = {
        "productId": encode_id("Product", product.id),
        "price": "5.00",
        "totalStock": 2,
        "startsAt": now.isoformat(),
        "endsAt": (now + timedelta(hours=1)).isoformat(),
    }
    for change, code in (
        ({"totalStock": 4}, "INSUFFICIENT_STOCK"),
        ({"price": "0"}, "INVALID"),
        ({"price": "1.999"}, "INVALID"),
        ({"endsAt": (now - timedelta(hours=1)).isoformat()}, "INVALID"),
        ({"perUserLimit": 0}, "INVALID"),
    ):
        body = (await api.gql(CREATE, {"input": {**base, **change}}, token=admin))["data"][
            "seckillEventCreate"
        ]
        assert body["event"] is None and body["userErrors"][0]["code"] == code, (change, body)
    assert (await Product.get(id=product.id)).stock == 3


UPDATE = f"""mutation($id: ID!, $input: SeckillEventUpdateInput!) {{
  seckillEventUpdate(id: $id, input: $input) {{ event {{ id price {{ amount }} }} {ERRORS} }}
}}"""


@pytest.mark.parametrize(
    "price", ["Infinity", "-Infinity", "NaN", "sNaN", "1e30", "10000000000.00", "-5", "0.001"]
)
async def test_sale_prices_are_finite_positive_and_bounded_like_product_prices(
    api: Api, price: str
) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    event_id = await _admin_creates_sale(api, admin, starts_in=600)
    product = await Product.get(slug="phone-x")
    now = datetime.now(UTC)
    created = await api.gql(
        CREATE,
        {
            "input": {
                "productId": encode_id("Product", product.id),
                "price": price,
                "totalStock": 1,
                "startsAt": now.isoformat(),
                "endsAt": (now + timedelta(hours=1)).isoformat(),
            }
        },
        token=admin,
    )
    updated = await api.gql(UPDATE, {"id": event_id, "input": {"price": price}}, token=admin)
    for body, name in ((created, "seckillEventCreate"), (updated, "seckillEventUpdate")):
        assert "errors" not in body, body
        payload = body["data"][name]
        assert payload["event"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["price"], "INVALID")]
    assert await SeckillEvent.all().count() == 1  # nothing created
    assert (await SeckillEvent.get()).price == Decimal("499.00")  # nothing changed
    assert (await Product.get(id=product.id)).stock == 5


async def test_rate_limited_is_top_level_with_retry_after(app_factory, redis) -> None:  # type: ignore[no-untyped-def]
    import httpx

    app = app_factory(seckill_user_rate=0.5, seckill_user_burst=1)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            api = Api(client)
            admin = token_for(
                (
                    await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)
                ).id,
                Role.ADMIN,
            )
            event_id = await _admin_creates_sale(api, admin, starts_in=600)
            await api.gql(WARM, {"id": event_id}, token=admin)
            shopper = await _shopper("fast@example.com")
            first = await api.gql(BUY, {"id": event_id}, token=shopper)
            assert first["data"]["seckillBuy"]["userErrors"][0]["code"] == "NOT_STARTED"
            second = await api.gql(BUY, {"id": event_id}, token=shopper)
            error = second["errors"][0]
            assert error["extensions"]["code"] == "RATE_LIMITED"
            assert error["extensions"]["retryAfter"] >= 1


UPDATE = f"""mutation($id: ID!, $input: SeckillEventUpdateInput!) {{
  seckillEventUpdate(id: $id, input: $input) {{ event {{ id requiresVerifiedAccount }} {ERRORS} }}
}}"""


async def test_admins_require_verified_accounts_per_sale(api: Api, runtime: Runtime) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    event_id = await _admin_creates_sale(api, admin, units=3)
    await api.gql(WARM, {"id": event_id}, token=admin)
    shown = "query($id: ID!) { seckillEvent(id: $id) { requiresVerifiedAccount } }"
    assert (await api.gql(shown, {"id": event_id}))["data"]["seckillEvent"] == {
        "requiresVerifiedAccount": False
    }
    on = await api.gql(
        UPDATE, {"id": event_id, "input": {"requiresVerifiedAccount": True}}, token=admin
    )
    assert on["data"]["seckillEventUpdate"]["event"]["requiresVerifiedAccount"] is True
    assert (await api.gql(shown, {"id": event_id}))["data"]["seckillEvent"] == {
        "requiresVerifiedAccount": True
    }
    shopper = await User.create(email="ann@example.com", password_hash="x")
    refused = (await api.gql(BUY, {"id": event_id}, token=token_for(shopper.id)))["data"]
    assert refused["seckillBuy"]["userErrors"][0]["code"] == "EMAIL_NOT_VERIFIED"
    verified = token_for(shopper.id, email_verified=True)
    bought = (await api.gql(BUY, {"id": event_id}, token=verified))["data"]["seckillBuy"]
    assert bought["ticket"]["status"] == "QUEUED"
    denied = await api.gql(
        UPDATE, {"id": event_id, "input": {"requiresVerifiedAccount": False}}, token=verified
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_new_sale_can_require_verified_accounts(api: Api) -> None:
    admin = token_for(
        (await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)).id,
        Role.ADMIN,
    )
    product = await Product.create(name="Cam", slug="cam", price=Decimal("9.00"), stock=5)
    starts = datetime.now(UTC) + timedelta(hours=1)
    create = f"""mutation($input: SeckillEventInput!) {{
      seckillEventCreate(input: $input) {{ event {{ requiresVerifiedAccount }} {ERRORS} }}
    }}"""
    body = await api.gql(
        create,
        {
            "input": {
                "productId": encode_id("Product", product.id),
                "price": "5.00",
                "totalStock": 2,
                "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=1)).isoformat(),
                "requiresVerifiedAccount": True,
            }
        },
        token=admin,
    )
    assert body["data"]["seckillEventCreate"] == {
        "event": {"requiresVerifiedAccount": True},
        "userErrors": [],
    }
