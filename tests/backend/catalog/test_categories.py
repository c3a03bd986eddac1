"""Categories: a tree without cycles, unique slugs."""

from __future__ import annotations

import pytest

from flashmart.catalog import categories
from flashmart.catalog.categories import CategoryDraft
from flashmart.catalog.models import Category
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime


def _codes(failure: pytest.ExceptionInfo[DomainFailure]) -> dict[tuple[str, ...] | None, ErrorCode]:
    return {e.field: e.code for e in failure.value.errors}


async def test_categories_nest_without_cycles(runtime: Runtime) -> None:
    root = await categories.create_category(runtime, CategoryDraft(name="Electronics"))
    child = await categories.create_category(
        runtime, CategoryDraft(name="Phones", parent_id=root.id)
    )
    grandchild = await categories.create_category(
        runtime, CategoryDraft(name="Foldables", parent_id=child.id)
    )
    for parent in (root.id, grandchild.id):
        with pytest.raises(DomainFailure) as failure:
            await categories.update_category(runtime, root.id, {"parent_id": parent})
        assert _codes(failure) == {("input", "parentId"): ErrorCode.INVALID}
    with pytest.raises(DomainFailure) as failure:
        await categories.create_category(runtime, CategoryDraft(name="Phones", slug="phones"))
    assert _codes(failure) == {("input", "slug"): ErrorCode.UNIQUE}
    moved = await categories.update_category(runtime, grandchild.id, {"parent_id": None})
    assert moved.parent_id is None
    assert await Category.all().count() == 3
