"""Security headers on every HTTP response of the app (docs/security.md, "Production mode").

- `Content-Security-Policy` (CONTENT_SECURITY_POLICY): by default scripts only from this
  origin, no inline script, no plugins, no framing (`frame-ancestors 'none'`). Styles allow
  `'unsafe-inline'` on purpose: antd writes its CSS-in-JS into `<style>` elements at run time,
  and a nonce would have to change per response, which a build served from memory (static.py)
  or by nginx cannot do. Inline styles cannot run code; scripts stay strict.
  tests/e2e/csp.spec.ts loads the real build under this policy and fails on any violation.
- `X-Frame-Options: DENY` (for browsers without `frame-ancestors`), `X-Content-Type-Options:
  nosniff`, `Referrer-Policy` (REFERRER_POLICY).
- `Strict-Transport-Security` (HSTS_MAX_AGE_SECONDS; 0: never) only on responses to requests
  that arrived over HTTPS: the scheme uvicorn reports, which follows `X-Forwarded-Proto` only
  from a trusted proxy (FORWARDED_ALLOW_IPS). Over plain HTTP a browser ignores it anyway.

A response that sets one of these headers itself keeps its own (the sandbox's pay page, the
GraphiQL page with its CDN allowances, graphql/view.py). The header lists are built once; the
app adds them in `FlashMartApp.__call__`, outside the middleware stack, so errors answered by
Starlette's outermost error handler and the buy lane's answers carry them too.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import Message, Scope, Send

from flashmart.core.settings import Settings

Header = tuple[bytes, bytes]


class SecurityHeaders:
    def __init__(self, settings: Settings) -> None:
        common: list[Header] = [
            (b"content-security-policy", settings.content_security_policy.encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", settings.referrer_policy.encode()),
        ]
        self.plain: tuple[Header, ...] = tuple(common)
        if settings.hsts_max_age_seconds > 0:
            hsts = f"max-age={settings.hsts_max_age_seconds}".encode()
            common.append((b"strict-transport-security", hsts))
        self.secure: tuple[Header, ...] = tuple(common)

    def for_scope(self, scope: Scope) -> tuple[Header, ...]:
        """The headers for this request: HSTS only when it arrived over HTTPS."""
        return self.secure if scope.get("scheme") == "https" else self.plain

    def wrap(self, scope: Scope, send: Send) -> Send:
        """`send` that adds the headers a response does not set itself."""
        extra = self.for_scope(scope)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message["headers"] = headers
            await send(message)

        return sending


IDE_CDN = "https://unpkg.com"  # where Strawberry's GraphiQL page loads its scripts and styles
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def ide_policy(html: str) -> str:
    """The GraphiQL page's own Content-Security-Policy (it is served only where GRAPHIQL is
    on): its CDN's scripts and styles, its inline script by hash, its inline styles; still
    never framed."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {IDE_CDN} {hashes}; "
        f"style-src 'self' 'unsafe-inline' {IDE_CDN}; img-src 'self' data: {IDE_CDN}; "
        f"font-src 'self' data: {IDE_CDN}; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
