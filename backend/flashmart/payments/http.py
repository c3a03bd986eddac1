"""HTTP endpoints of payments: every provider's webhook, and the sandbox's pay page.

- `POST /payments/{provider}/webhook`: 200 when accepted (or a redelivery), 400 when refused
  (nothing changed), 503 when the provider failed us mid-way (it will retry).
- `GET /payments/sandbox/pay/{reference}`: the sandbox's server-rendered pay page (no JS);
  `POST` to the same address approves or declines (form with an anti-forgery token).
"""

from __future__ import annotations

import html
import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from flashmart.core import metrics
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.payments import sandbox, services
from flashmart.payments.errors import ProviderError, WebhookRejected
from flashmart.payments.models import PaymentStatus, SandboxCharge

logger = logging.getLogger("flashmart.payments")

PAGE_HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",  # nobody frames the Approve button
    "referrer-policy": "no-referrer",  # the address is the payment's secret
    "x-content-type-options": "nosniff",
}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


# --- webhooks ------------------------------------------------------------------------------------
async def webhook(request: Request) -> Response:
    runtime = _runtime(request)
    provider = request.path_params["provider"]
    if provider != runtime.settings.payment_provider:
        metrics.PAYMENT_WEBHOOKS.labels("not_found").inc()
        return JSONResponse({"error": "NOT_FOUND"}, status_code=404)
    body = await request.body()
    try:
        result = await services.receive_webhook(
            runtime, provider_name=provider, body=body, headers=request.headers
        )
    except WebhookRejected as rejected:
        metrics.PAYMENT_WEBHOOKS.labels(rejected.reason.value).inc()
        logger.warning("payment webhook refused", extra={"reason": str(rejected)})
        return JSONResponse({"error": rejected.reason.value}, status_code=400)
    except ProviderError as exc:
        metrics.PAYMENT_WEBHOOKS.labels("provider_error").inc()
        logger.error("payment webhook not applied: %s", exc)
        return JSONResponse({"error": "PROVIDER_ERROR"}, status_code=503)
    status = "duplicate" if result.duplicate else "accepted"
    metrics.PAYMENT_WEBHOOKS.labels(status).inc()
    return JSONResponse({"status": status})


# --- the sandbox's pay page ----------------------------------------------------------------------
STATUS_TEXT = {
    PaymentStatus.PENDING: "Waiting for your decision.",
    PaymentStatus.SUCCEEDED: "Approved. FlashMart is being notified; you can close this page.",
    PaymentStatus.FAILED: "Declined. No money was taken.",
    PaymentStatus.REFUNDED: "Refunded. The money went back to you.",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox payment - {merchant}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; padding: 2rem 1rem; }}
main {{ max-width: 26rem; margin: auto; background: #fff; border-radius: 12px; padding: 1.5rem;
        box-shadow: 0 2px 12px rgba(0,0,0,.08); }}
.banner {{ background: #fff4ce; color: #6b5300; padding: .5rem .75rem; border-radius: 8px;
           font-size: .85rem; }}
dl {{ display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; }}
dt {{ color: #666; }} dd {{ margin: 0; font-weight: 600; }}
.amount {{ font-size: 1.6rem; }}
form {{ display: flex; gap: .75rem; margin-top: 1.25rem; }}
button {{ flex: 1; padding: .8rem; font-size: 1rem; border-radius: 8px; border: 0;
          cursor: pointer; }}
.approve {{ background: #1a7f37; color: #fff; }} .decline {{ background: #e5e7eb; }}
.back {{ display: block; margin-top: 1.25rem; text-align: center; }}
</style>
</head>
<body>
<main>
<p class="banner">Sandbox provider: no real money moves.</p>
<h1>Pay {merchant}</h1>
<dl>
<dt>Merchant</dt><dd>{merchant}</dd>
<dt>Order</dt><dd>{order_number}</dd>
<dt>Amount</dt><dd class="amount">{amount} {currency}</dd>
<dt>Status</dt><dd>{status}</dd>
</dl>
<p role="status">{status_text}</p>
{form}
{back}
</main>
</body>
</html>
"""

FORM = """<form method="post" action="{action}">
<input type="hidden" name="csrf" value="{token}">
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="decline" type="submit" name="decision" value="decline">Decline</button>
</form>"""


BACK = '<a class="back" href="{url}">Back to order {order_number} at {merchant}</a>'


def _render(charge: SandboxCharge, *, token: str, order_url: str | None) -> str:
    e = html.escape
    form = ""
    if charge.status is PaymentStatus.PENDING:
        action = sandbox.PAY_PATH.format(reference=charge.reference)
        form = FORM.format(action=e(action), token=e(token))
    return PAGE.format(
        merchant=e(charge.merchant_name),
        order_number=e(charge.order_number),
        amount=e(f"{charge.amount:.2f}"),
        currency=e(charge.currency),
        status=e(charge.status.value),
        status_text=e(STATUS_TEXT[charge.status]),
        form=form,
        back=BACK.format(
            url=e(order_url), order_number=e(charge.order_number), merchant=e(charge.merchant_name)
        )
        if order_url
        else "",
    )


def _message(text: str, status_code: int) -> HTMLResponse:
    body = f"<!doctype html><title>Sandbox payment</title><p>{html.escape(text)}</p>"
    return HTMLResponse(body, status_code=status_code, headers=PAGE_HEADERS)


async def pay_page(request: Request) -> Response:
    settings = _runtime(request).settings
    charge = await sandbox.find_charge(request.path_params["reference"])
    if charge is None:
        return _message("No such payment.", 404)
    cookie = request.cookies.get(sandbox.FORM_COOKIE) or sandbox.new_form_secret()
    token = sandbox.form_token(settings, reference=charge.reference, cookie=cookie)
    # A real provider is given the return address with the payment; the sandbox asks the shop.
    order_url = await services.order_page_url(
        settings, merchant_reference=charge.merchant_reference
    )
    response = HTMLResponse(_render(charge, token=token, order_url=order_url), headers=PAGE_HEADERS)
    response.set_cookie(
        sandbox.FORM_COOKIE,
        cookie,
        max_age=3600,
        path="/payments/sandbox/",
        secure=settings.public_base_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


async def pay_decide(request: Request) -> Response:
    runtime = _runtime(request)
    charge = await sandbox.find_charge(request.path_params["reference"])
    if charge is None:
        return _message("No such payment.", 404)
    form = await request.form()
    token, decision = form.get("csrf"), form.get("decision")
    if not isinstance(token, str) or not sandbox.form_token_valid(
        runtime.settings,
        reference=charge.reference,
        cookie=request.cookies.get(sandbox.FORM_COOKIE, ""),
        token=token,
    ):
        return _message("This form has expired. Reload the page and try again.", 403)
    if decision not in ("approve", "decline"):
        return _message("Choose Approve or Decline.", 400)
    await sandbox.decide(runtime, charge=charge, approve=decision == "approve")
    # Post/Redirect/Get: reloading the result page never submits twice.
    return RedirectResponse(sandbox.PAY_PATH.format(reference=charge.reference), status_code=303)


def routes(settings: Settings) -> list[BaseRoute]:
    found: list[BaseRoute] = [Route("/payments/{provider}/webhook", webhook, methods=["POST"])]
    if settings.payment_provider == sandbox.NAME:
        if settings.is_production:
            logger.warning(
                "PAYMENT_PROVIDER=sandbox in production (ALLOW_SANDBOX_PAYMENTS=true): "
                "anyone can approve their own payment"
            )
        found += [
            Route(sandbox.PAY_PATH, pay_page, methods=["GET"]),
            Route(sandbox.PAY_PATH, pay_decide, methods=["POST"]),
        ]
    return found
