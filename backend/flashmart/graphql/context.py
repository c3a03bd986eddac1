"""The one typed request context handed to every resolver."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from flashmart.accounts.tokens import AccessClaims
from flashmart.core.errors import unauthenticated
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings

if TYPE_CHECKING:
    from flashmart.graphql.loaders import Loaders


@dataclass
class Context:
    request: Request | WebSocket
    runtime: Runtime  # the process-wide clients, created once by the app lifespan
    loaders: Loaders
    request_id: str
    viewer: AccessClaims | None = None
    auth_problem: str | None = None  # why a presented token was refused; checked before execution
    extra: dict[str, Any] = field(default_factory=dict)
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws `connection_init`

    def require_viewer(self) -> AccessClaims:
        """The signed-in viewer, for resolvers of fields guarded by `IsAuthenticated` or
        `IsAdmin`; without one, the same `UNAUTHENTICATED` error those permission classes raise."""
        if self.viewer is None:
            raise unauthenticated()
        return self.viewer

    @property
    def viewer_is_admin(self) -> bool:
        """Signed in as an administrator (who sees unpublished products and reads what they
        may just have edited from the database)."""
        return self.viewer is not None and self.viewer.is_admin

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def client_ip(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"


Info = StrawberryInfo[Context, None]
