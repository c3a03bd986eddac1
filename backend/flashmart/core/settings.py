"""One settings class, read from the environment and an optional `.env`, validated at start-up."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every knob of FlashMart. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", validate_default=True)

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str = "sqlite://data/flashmart.sqlite3"
    database_pool_size: int = Field(default=20, ge=1)
    redis_url: str | None = None
    redis_prefix: str = "fm:"
    jwt_secret: str = ""
    payment_webhook_secret: str = ""
    graphiql: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    log_json: bool = True

    host: str = "127.0.0.1"
    port: int = 8000
    web_concurrency: int = Field(default=1, ge=1)
    frontend_dist: Path = Path("frontend/dist")

    max_query_depth: int = Field(default=12, ge=1)
    max_query_aliases: int = Field(default=30, ge=1)
    max_query_tokens: int = Field(default=2000, ge=10)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    graphql_cache_size: int = Field(default=512, ge=1)

    worker_health_check_interval: int = Field(default=10, ge=1)
    worker_job_timeout: int = Field(default=60, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, data: object) -> object:
        if isinstance(data, dict):
            raw = data.get("cors_origins", data.get("CORS_ORIGINS"))
            if isinstance(raw, str):
                data = {**data, "cors_origins": [o.strip() for o in raw.split(",") if o.strip()]}
                data.pop("CORS_ORIGINS", None)
        return data

    @model_validator(mode="after")
    def _check_secrets(self) -> Self:
        if self.env is Environment.PRODUCTION:
            weak = [
                name
                for name in ("jwt_secret", "payment_webhook_secret")
                if len(getattr(self, name)) < MIN_SECRET_LENGTH
            ]
            if weak:
                names = ", ".join(n.upper() for n in weak)
                raise ValueError(
                    f"{names} must be set to at least {MIN_SECRET_LENGTH} characters in production"
                )
        else:
            for name in ("jwt_secret", "payment_webhook_secret"):
                if not getattr(self, name):
                    setattr(self, name, _dev_secret(self.data_dir, name))
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _dev_secret(data_dir: Path, name: str) -> str:
    """Generate a development secret once and keep it under the data directory."""
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
