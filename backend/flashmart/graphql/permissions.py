"""Permission classes, declared next to the fields they guard."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from flashmart.core.errors import ApiError, forbidden
from flashmart.graphql.context import Info


class IsAuthenticated(BasePermission):
    message = "Authentication required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_viewer()
        return True


class IsAdmin(BasePermission):
    message = "Administrators only"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if not info.context.require_viewer().is_admin:
            raise forbidden(self.message)
        return True


__all__ = ["ApiError", "IsAdmin", "IsAuthenticated"]
