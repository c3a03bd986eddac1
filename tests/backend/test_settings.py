from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
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


def test_a_queue_on_another_redis_turns_in_script_enqueue_off(tmp_path: Path) -> None:
    base = {"_env_file": None, "data_dir": tmp_path, "redis_url": "redis://sales:6379/0"}
    shared = Settings(**base)  # type: ignore[arg-type]
    assert not shared.queue_is_separate and shared.enqueues_in_script
    same = Settings(**base, queue_redis_url="redis://sales:6379/0")  # type: ignore[arg-type]
    assert not same.queue_is_separate and same.enqueues_in_script
    apart = Settings(**base, queue_redis_url="redis://queue:6379/0", seckill_enqueue_in_script=True)  # type: ignore[arg-type]
    assert apart.queue_is_separate and not apart.enqueues_in_script
    # Also when the settings are copied with other values (no validator runs then).
    copied = shared.model_copy(update={"queue_redis_url": "redis://queue:6379/0"})
    assert not copied.enqueues_in_script


def test_a_cluster_needs_a_plain_queue_redis(tmp_path: Path) -> None:
    cluster = "redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7000"
    with pytest.raises(ValidationError, match="set QUEUE_REDIS_URL"):
        Settings(_env_file=None, data_dir=tmp_path, redis_url=cluster)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="QUEUE_REDIS_URL must name a plain Redis"):
        Settings(_env_file=None, data_dir=tmp_path, redis_url=cluster, queue_redis_url=cluster)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="cluster seed node"):
        Settings(
            _env_file=None, data_dir=tmp_path, redis_url="redis+cluster://nohost",
            queue_redis_url="redis://q:6379",
        )  # type: ignore[call-arg]  # fmt: skip
    ok = Settings(
        _env_file=None, data_dir=tmp_path, redis_url=cluster, queue_redis_url="redis://q:6379"
    )  # type: ignore[call-arg]
    assert ok.queue_is_separate and not ok.enqueues_in_script


# What the process does to the files under DATA_DIR/secrets while it creates them, as seen by
# Python's audit hooks (every open with its flags, every chmod), under umask 0 so the mode a
# file is created with is the mode it has.
_CREATE_AND_WATCH = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path

    secrets_dir = str(Path(sys.argv[1]).resolve() / "secrets")
    seen = []

    def hook(event, args):
        if event in ("open", "os.chmod", "os.link") and str(args[0]).startswith(secrets_dir):
            flags = args[2] if event == "open" else None
            seen.append([event, os.path.basename(str(args[0])), flags])

    sys.addaudithook(hook)
    os.umask(0)
    from flashmart.core.settings import Settings

    Settings(_env_file=None, data_dir=sys.argv[1])
    print(json.dumps(seen))
    """
)


def test_development_secrets_are_created_exclusively_with_mode_0600(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CREATE_AND_WATCH, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    events = json.loads(done.stdout)
    writes = [(name, flags) for event, name, flags in events if event == "open" and flags]
    writes = [(name, flags) for name, flags in writes if flags & (os.O_WRONLY | os.O_RDWR)]
    assert writes, events
    for name, flags in writes:
        assert flags & os.O_CREAT and flags & os.O_EXCL, f"{name} opened for writing without O_EXCL"
        assert not flags & os.O_TRUNC
    assert not [e for e in events if e[0] == "os.chmod"], "no mode change after the write"
    directory = tmp_path / "secrets"
    assert sorted(p.name for p in directory.iterdir()) == ["jwt_secret", "payment_webhook_secret"]
    for path in directory.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
        assert len(path.read_text()) >= 32
    assert directory.stat().st_mode & 0o777 == 0o700


def test_an_existing_secret_is_kept_and_a_loose_one_tightened(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "secrets"
    directory.mkdir()
    kept = directory / "jwt_secret"
    kept.write_text("an-existing-development-secret-of-enough-length\n")
    kept.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="flashmart.settings"):
        settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.jwt_secret == "an-existing-development-secret-of-enough-length"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert "tightened to 0600" in caplog.text
    assert (directory / "payment_webhook_secret").stat().st_mode & 0o777 == 0o600
