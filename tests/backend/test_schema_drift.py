"""schema.graphql at the repository root is exactly what the code exports."""

from __future__ import annotations

from pathlib import Path

from flashmart.graphql.schema import export_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_committed_schema_matches_code() -> None:
    assert SCHEMA_FILE.read_text() == export_sdl(), (
        "schema.graphql is out of date: run `make schema` and commit the result"
    )
