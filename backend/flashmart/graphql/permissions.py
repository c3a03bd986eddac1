"""Permission classes, declared next to the fields they guard."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from flashmart.core.errors import ApiError, forbidden, unauthenticated
from flashmart.graphql.context import Info


class IsAuthenticated(BasePermission):
    message = "Authentication required"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.viewer is None:
            raise unauthenticated()
        return True


class IsAdmin(BasePermission):
    message = "Administrators only"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if viewer is None:
            raise unauthenticated()
        if not viewer.is_admin:
            raise forbidden(self.message)
        return True


__all__ = ["ApiError", "IsAdmin", "IsAuthenticated"]
