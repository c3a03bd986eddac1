from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from flashmart.core.settings import Settings


def test_production_refuses_missing_or_short_secrets(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET, PAYMENT_WEBHOOK_SECRET"):
        Settings(_env_file=None, env="production", data_dir=tmp_path)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="PAYMENT_WEBHOOK_SECRET must be set"):
        Settings(
            _env_file=None,
            env="production",
            jwt_secret="x" * 32,
            payment_webhook_secret="short",
        )  # type: ignore[call-arg]
    ok = Settings(
        _env_file=None,
        env="production",
        jwt_secret="x" * 32,
        payment_webhook_secret="y" * 40,
        allow_sandbox_payments=True,
    )  # type: ignore[call-arg]
    assert ok.is_production


def test_production_refuses_the_sandbox_provider_unless_allowed() -> None:
    secrets = {"jwt_secret": "x" * 32, "payment_webhook_secret": "y" * 40}
    with pytest.raises(ValidationError, match="PAYMENT_PROVIDER=sandbox in production"):
        Settings(_env_file=None, env="production", **secrets)  # type: ignore[call-arg]
    allowed = Settings(_env_file=None, env="production", allow_sandbox_payments=True, **secrets)  # type: ignore[call-arg]
    assert allowed.payment_provider == "sandbox"


def test_development_generates_secrets_once_under_data_dir(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    second = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert len(first.jwt_secret) >= 32
    assert first.jwt_secret == second.jwt_secret
    assert first.jwt_secret != first.payment_webhook_secret
    assert (tmp_path / "secrets" / "jwt_secret").stat().st_mode & 0o077 == 0


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("MAX_QUERY_DEPTH", "7")
    monkeypatch.setenv("GRAPHIQL", "false")
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.max_query_depth == 7
    assert settings.graphiql is False


def test_cors_origins_are_origins(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, cors_origins="https://a.example/,http://b:8080"
    )  # type: ignore[call-arg]
    assert settings.cors_origins == ["https://a.example", "http://b:8080"]
    for wrong in ("https://a.example/shop", "a.example", "ftp://a.example"):
        with pytest.raises(ValidationError, match="CORS_ORIGINS"):
            Settings(_env_file=None, data_dir=tmp_path, cors_origins=wrong)  # type: ignore[call-arg]


def test_invalid_values_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, data_dir=tmp_path, env="staging")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(_env_file=None, data_dir=tmp_path, max_query_depth=0)  # type: ignore[call-arg]
