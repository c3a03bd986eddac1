"""Static consistency checks for the container files (no Docker needed).

Cross-checks docker-compose.yml, Dockerfile and .env.example against the code:
environment variables must be real `Settings` fields, `flashmart <cmd> --opt` invocations
must be real CLI subcommands/options, and the start-up order must wait for readiness.
"""

from __future__ import annotations

import datetime
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
ENV_EXAMPLE = REPO / ".env.example"

APP_SERVICES = ("migrate", "api", "worker")
READY_CONDITIONS = {"service_healthy", "service_completed_successfully"}
# Variables in the image that configure Python/pip/the shell rather than FlashMart.
NON_SETTINGS_IMAGE_ENV = {
    "PATH",
    "VIRTUAL_ENV",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
}


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict) and isinstance(data.get("services"), dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def settings_env_names() -> set[str]:
    from flashmart.core.settings import Settings

    return {name.upper() for name in Settings.model_fields}


@pytest.fixture(scope="module")
def cli_commands() -> dict[str, Any]:
    """{subcommand name: click.Command} of the Typer app `flashmart.cli:app`."""
    try:
        from flashmart.cli import app
    except ImportError as exc:  # pragma: no cover - depends on repo state
        pytest.fail(f"flashmart.cli with a Typer `app` is required by the container files: {exc}")
    import typer

    # Typer >= 0.2x vendors click, so check the group by shape, not by click class.
    command = typer.main.get_command(app)
    commands = getattr(command, "commands", None)
    assert isinstance(commands, dict) and commands, "flashmart CLI must be a group of subcommands"
    return dict(commands)


def _env_names(environment: Any) -> set[str]:
    if environment is None:
        return set()
    if isinstance(environment, dict):
        return set(environment)
    return {str(item).split("=", 1)[0] for item in environment}


def _argv(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return shlex.split(value)
    return [str(v) for v in value]


def _healthcheck_argv(healthcheck: dict[str, Any] | None) -> list[str]:
    if not healthcheck or healthcheck.get("disable"):
        return []
    test = healthcheck.get("test")
    if isinstance(test, str):
        return shlex.split(test)
    test = [str(t) for t in test or []]
    if test and test[0] == "CMD-SHELL":
        return shlex.split(" ".join(test[1:]))
    if test and test[0] == "CMD":
        return test[1:]
    return test


def _flashmart_invocations(argv: list[str]) -> list[list[str]]:
    """Every `flashmart ...` invocation in an argv: `flashmart` in command position, i.e.
    first, after a shell separator or after `exec` (not e.g. `pg_isready -d flashmart`)."""
    invocations: list[list[str]] = []
    current: list[str] | None = None
    command_position = True
    for token in argv:
        if token in {"&&", "||", ";", "|"}:
            current, command_position = None, True
        elif command_position and token == "exec":
            continue
        elif command_position and (token == "flashmart" or token.endswith("/flashmart")):
            current, command_position = [], False
            invocations.append(current)
        else:
            command_position = False
            if current is not None:
                current.append(token)
    return invocations


def _depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def _waits_for_ready(services: dict[str, dict[str, Any]], start: str, target: str) -> bool:
    """True if `start` only starts after `target` is healthy, directly or through a
    chain of service_healthy / service_completed_successfully dependencies."""
    seen: set[str] = set()
    stack = [start]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        for dep, condition in _depends_on(services[name]).items():
            if condition not in READY_CONDITIONS:
                continue
            if dep == target and condition == "service_healthy":
                return True
            stack.append(dep)
    return False


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with line continuations joined, comments dropped."""
    logical: list[str] = []
    buf = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if buf and line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    if buf.strip():
        logical.append(buf)
    result = []
    for line in logical:
        instr, _, args = line.partition(" ")
        result.append((instr.upper(), args.strip()))
    return result


def _dockerfile_stages() -> list[dict[str, Any]]:
    stages: list[dict[str, Any]] = []
    for instr, args in _dockerfile_instructions():
        if instr == "FROM":
            m = re.match(r"(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", args, re.IGNORECASE)
            assert m, f"unparsable FROM {args!r}"
            stages.append({"image": m.group(1), "name": m.group(2), "instructions": []})
        else:
            assert stages, f"{instr} before the first FROM"
            stages[-1]["instructions"].append((instr, args))
    return stages


def _stage_env(stage: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instr, args in stage["instructions"]:
        if instr != "ENV":
            continue
        tokens = shlex.split(args)
        if tokens and "=" not in tokens[0]:  # legacy `ENV KEY value`
            env[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            key, _, value = token.partition("=")
            env[key] = value
    return env


def _stage_workdir(stage: dict[str, Any]) -> str:
    workdir = "/"
    for instr, args in stage["instructions"]:
        if instr == "WORKDIR":
            workdir = args if args.startswith("/") else f"{workdir.rstrip('/')}/{args}"
    return workdir


def _exec_form(args: str) -> list[str]:
    import json

    if args.startswith("["):
        return [str(a) for a in json.loads(args)]
    return shlex.split(args)


def _final_stage() -> dict[str, Any]:
    return _dockerfile_stages()[-1]


def _compose_flashmart_invocations(
    services: dict[str, dict[str, Any]],
) -> list[tuple[str, list[str]]]:
    found = []
    for name, service in services.items():
        argvs = [_argv(service.get("command")), _argv(service.get("entrypoint"))]
        argvs.append(_healthcheck_argv(service.get("healthcheck")))
        for argv in argvs:
            found.extend((name, inv) for inv in _flashmart_invocations(argv))
    return found


def _assert_valid_invocation(where: str, invocation: list[str], commands: dict[str, Any]) -> None:
    assert invocation, f"{where}: bare `flashmart` without a subcommand"
    sub, *rest = invocation
    assert sub in commands, (
        f"{where}: `flashmart {sub}` is not a CLI subcommand ({sorted(commands)})"
    )
    params = commands[sub].params
    options = {opt for p in params for opt in (*p.opts, *p.secondary_opts)}
    for token in rest:
        if token.startswith("-"):
            opt = token.split("=", 1)[0]
            assert opt in options, (
                f"{where}: `flashmart {sub}` has no option {opt} ({sorted(options)})"
            )


# --------------------------------------------------------------------------- compose


def test_required_services_exist(services: dict[str, dict[str, Any]]) -> None:
    missing = {"postgres", "redis", "migrate", "api", "worker"} - set(services)
    assert not missing, f"missing services: {sorted(missing)}"


def test_redis_persists_with_aof(services: dict[str, dict[str, Any]]) -> None:
    argv = _argv(services["redis"].get("command"))
    assert "--appendonly" in argv, "redis must run with --appendonly"
    assert argv[argv.index("--appendonly") + 1] == "yes"
    # fsync before each reply, as SECKILL_DURABILITY=durable (the default) promises
    assert "--appendfsync" in argv
    assert argv[argv.index("--appendfsync") + 1] == "${REDIS_APPENDFSYNC:-always}"
    assert any(str(v).endswith(":/data") for v in services["redis"].get("volumes", [])), (
        "redis /data must be on a volume, otherwise the AOF is lost with the container"
    )


def test_postgres_has_volume_and_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    pg = services["postgres"]
    assert any(":/var/lib/postgresql/data" in str(v) for v in pg.get("volumes", []))
    assert "pg_isready" in " ".join(_healthcheck_argv(pg.get("healthcheck")))


def test_api_runs_two_replicas(services: dict[str, dict[str, Any]]) -> None:
    api = services["api"]
    assert api.get("deploy", {}).get("replicas") == 2
    # Replicas cannot share a published host port or a fixed container name.
    assert "ports" not in api and "container_name" not in api


def test_app_services_use_one_image(services: dict[str, dict[str, Any]]) -> None:
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(images) == 1 and None not in images, f"app services differ in image: {images}"
    assert services["api"].get("build"), "api must be built from the repo Dockerfile"


def test_app_env_vars_are_settings_fields(
    services: dict[str, dict[str, Any]], settings_env_names: set[str]
) -> None:
    for name in APP_SERVICES:
        env = _env_names(services[name].get("environment"))
        assert env, f"{name} has no environment"
        # OTEL_* are OpenTelemetry's standard variables, read by its SDK (core/tracing.py).
        unknown = {n for n in env - settings_env_names if not n.startswith("OTEL_")}
        assert not unknown, f"{name}: env vars not in Settings: {sorted(unknown)}"


def test_app_env_is_production_with_external_secrets(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert isinstance(env, dict)
        assert env["ENV"] == "production"
        assert str(env["GRAPHIQL"]).lower() == "false"
        assert str(env["TRUSTED_DOCUMENTS_ONLY"]).lower() == "true"
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        for secret in ("JWT_SECRET", "PAYMENT_WEBHOOK_SECRET"):
            # Must come from the environment and be mandatory, never a literal.
            assert re.fullmatch(rf"\$\{{{secret}:\?[^}}]*\}}", env[secret]), (
                f"{name}: {secret} must be `${{{secret}:?...}}`, got {env[secret]!r}"
            )


def test_compose_variables_documented_in_env_example(compose: dict[str, Any]) -> None:
    text = COMPOSE_FILE.read_text()
    referenced = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", text))
    required = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*):?\?", text))
    documented = set(re.findall(r"^\s*([A-Z_][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert {"JWT_SECRET", "PAYMENT_WEBHOOK_SECRET"} <= required
    assert not referenced - documented, (
        f"undocumented in .env.example: {sorted(referenced - documented)}"
    )
    assert "secrets.token_urlsafe" in ENV_EXAMPLE.read_text()


def test_flashmart_commands_in_compose_are_real(
    services: dict[str, dict[str, Any]], cli_commands: dict[str, Any]
) -> None:
    invocations = _compose_flashmart_invocations(services)
    used = {inv[0] for _, inv in invocations if inv}
    assert {"migrate", "serve", "worker"} <= used, f"compose runs only {sorted(used)}"
    for where, invocation in invocations:
        _assert_valid_invocation(f"compose service {where}", invocation, cli_commands)


def test_service_roles(services: dict[str, dict[str, Any]]) -> None:
    assert _argv(services["migrate"]["command"])[:2] == ["flashmart", "migrate"]
    assert services["migrate"].get("restart", "no") == "no", "migrate is one-shot"
    assert _argv(services["api"]["command"])[:2] == ["flashmart", "serve"]
    assert _argv(services["worker"]["command"])[:2] == ["flashmart", "worker"]


def test_api_and_worker_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    api_check = _healthcheck_argv(services["api"].get("healthcheck"))
    assert any("/readyz" in token for token in api_check), "api healthcheck must probe /readyz"
    worker_check = _healthcheck_argv(services["worker"].get("healthcheck"))
    assert ["worker", "--check"] in _flashmart_invocations(worker_check)


@pytest.mark.parametrize("service", ["api", "worker"])
@pytest.mark.parametrize("backing", ["postgres", "redis"])
def test_app_waits_for_backing_services(
    services: dict[str, dict[str, Any]], service: str, backing: str
) -> None:
    assert _healthcheck_argv(services[backing].get("healthcheck")), f"{backing} needs a healthcheck"
    assert _waits_for_ready(services, service, backing), (
        f"{service} does not wait for {backing} to be healthy (directly or via migrate)"
    )


def test_api_waits_for_migrations(services: dict[str, dict[str, Any]]) -> None:
    assert _depends_on(services["api"]).get("migrate") == "service_completed_successfully"
    assert _depends_on(services["migrate"]).get("postgres") == "service_healthy"


def test_proxy_fronts_api_with_websockets(services: dict[str, dict[str, Any]]) -> None:
    proxy = services.get("proxy")
    assert proxy, "a proxy service must front the api replicas"
    assert any(str(p).endswith(":8000") for p in proxy.get("ports", []))
    assert "api" in _depends_on(proxy)
    mounts = [str(v) for v in proxy.get("volumes", [])]
    conf_mount = next((m for m in mounts if "nginx.conf" in m), None)
    assert conf_mount, "proxy must mount deploy/nginx.conf"
    conf = (REPO / conf_mount.split(":", 1)[0]).read_text()
    assert re.search(r"server\s+api:8000", conf), "nginx upstream must point at api:8000"
    graphql = re.search(r"location\s+[=^~ ]*/graphql\s*\{(?P<body>[^}]*)\}", conf)
    assert graphql, "nginx needs a /graphql location"
    assert "proxy_pass" in graphql["body"]
    assert re.search(r"proxy_http_version\s+1\.1", conf)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", conf)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade", conf)


def _nginx_conf(services: dict[str, dict[str, Any]]) -> str:
    mounts = [str(v) for v in services["proxy"].get("volumes", [])]
    conf_mount = next(m for m in mounts if "nginx.conf" in m)
    return (REPO / conf_mount.split(":", 1)[0]).read_text()


def _nginx_locations(conf: str) -> dict[tuple[str, str], str]:
    """{(modifier, uri): body} of the server's locations (none of ours nests blocks)."""
    found = re.findall(r"location\s+(=|\^~|~\*?)?\s*(\S+)\s*\{([^{}]*)\}", conf)
    return {(modifier, uri): body for modifier, uri, body in found}


def _nginx_location_for(conf: str, path: str) -> tuple[str, str]:
    """The (uri, body) of the location nginx picks for `path`: an exact match, else the
    longest prefix (regex locations would come in between: the config must have none)."""
    locations = _nginx_locations(conf)
    assert not [uri for modifier, uri in locations if modifier.startswith("~")], "regex location"
    if ("=", path) in locations:
        return path, locations["=", path]
    prefixes = [uri for modifier, uri in locations if modifier != "=" and path.startswith(uri)]
    assert prefixes, f"no nginx location for {path}"
    uri = max(prefixes, key=len)
    return uri, next(body for (m, u), body in locations.items() if u == uri and m != "=")


def _app_paths(tmp_path: Path) -> list[str]:
    """A concrete URL path for every route of the app except the frontend's catch-all."""
    from starlette.routing import Mount

    from flashmart.app import create_app
    from flashmart.core.settings import Settings

    secret = "s" * 40
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        frontend_dist=tmp_path / "no-frontend",
        jwt_secret=secret,
        payment_webhook_secret=secret,
    )
    paths = []
    for route in create_app(settings, manage_database=False).routes:
        path = re.sub(r"\{[^}]*\}", "x", getattr(route, "path", ""))
        if path and path != "/x":  # `/{path:path}`: the built frontend
            paths.append(f"{path}/x" if isinstance(route, Mount) else path)
    return paths


def test_proxy_serves_the_built_frontend(services: dict[str, dict[str, Any]]) -> None:
    proxy = services["proxy"]
    build = proxy.get("build") or {}
    assert build.get("target") == "proxy", "the proxy image is the Dockerfile's `proxy` stage"
    stages = {s["name"]: s for s in _dockerfile_stages() if s["name"]}
    stage = stages.get("proxy")
    assert stage and stage["image"].startswith("nginx:1.27"), "need an nginx:1.27 `proxy` stage"
    copies = [
        shlex.split(args)
        for instr, args in stage["instructions"]
        if instr == "COPY" and "--from=frontend" in args
    ]
    assert len(copies) == 1, "the proxy stage copies the build from the `frontend` stage"
    src, dest = copies[0][-2], copies[0][-1]
    assert src.rstrip("/") == f"{_stage_workdir(stages['frontend']).rstrip('/')}/dist"

    conf = _nginx_conf(services)
    root = re.search(r"^\s*root\s+(\S+);", conf, re.MULTILINE)
    assert root and root[1].rstrip("/") == dest.rstrip("/"), "nginx root must be the copied build"
    assert re.search(r"^\s*gzip_static\s+on;", conf, re.MULTILINE)
    assert re.search(r"^\s*gzip_vary\s+on;", conf, re.MULTILINE)

    uri, assets = _nginx_location_for(conf, "/assets/index-3f2a9c.js")
    assert uri == "/assets/" and "proxy_pass" not in assets
    assert 'add_header Cache-Control "public, max-age=31536000, immutable"' in assets
    assert re.search(r"try_files\s+\$uri\s+=404;", assets), "unknown assets are 404"
    for path in ("/", "/index.html", "/flash-sales/3", "/admin/orders"):
        _, spa = _nginx_location_for(conf, path)
        assert "proxy_pass" not in spa, f"{path} is the frontend's"
        assert 'add_header Cache-Control "no-cache"' in spa
        assert re.search(r"try_files\s+\$uri\s+/index\.html;", spa), "SPA fallback to index"


def test_nginx_sends_every_api_route_to_the_api(
    services: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    conf = _nginx_conf(services)
    paths = _app_paths(tmp_path)
    assert {"/graphql", "/healthz", "/readyz", "/metrics", "/media/x"} <= set(paths)
    assert any(p.startswith("/payments/") for p in paths)
    for path in paths:
        uri, body = _nginx_location_for(conf, path)
        if path == "/metrics":  # per replica, scraped on the compose network
            assert re.search(r"return\s+404;", body), "/metrics must not be public"
        else:
            assert "proxy_pass http://flashmart_api;" in body, f"{path} ({uri}) is not proxied"


# --------------------------------------------------------------------------- Dockerfile


# Node.js LTS lines (even majors) and the day each one's maintenance ends (nodejs.org/en/about/
# previous-releases): the image must build on a line that still gets security fixes.
NODE_LTS_END_OF_LIFE = {
    20: datetime.date(2026, 4, 30),
    22: datetime.date(2027, 4, 30),
    24: datetime.date(2028, 4, 30),
}


def _assert_maintained_node_lts(image: str) -> None:
    match = re.fullmatch(r"node:(\d+)(?:[.-].*)?", image)
    assert match, f"the frontend stage builds on {image!r}, not an official node image"
    major = int(match[1])
    assert major in NODE_LTS_END_OF_LIFE, f"node {major} is not a known LTS line"
    end = NODE_LTS_END_OF_LIFE[major]
    assert datetime.date.today() < end, f"node {major} left maintenance on {end}: move on"


def _duration_seconds(value: str) -> float:
    """A compose duration (`1m30s`, `45s`, `500ms`) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", value)
    assert parts and "".join(n + u for n, u in parts) == value, f"not a duration: {value!r}"
    return sum(float(n) * units[u] for n, u in parts)


def test_stop_grace_periods_outlast_the_drains(services: dict[str, dict[str, Any]]) -> None:
    """Docker kills a container stop_grace_period after its SIGTERM (10 s by default): the API
    must get longer than `flashmart serve` drains, the worker longer than a job may run."""
    from flashmart.cli import SERVE_DRAIN_SECONDS
    from flashmart.core.settings import Settings

    api = _duration_seconds(services["api"]["stop_grace_period"])
    assert api > SERVE_DRAIN_SECONDS, f"api: {api} s, drain {SERVE_DRAIN_SECONDS} s"
    job_timeout = int(
        services["worker"]["environment"].get(
            "WORKER_JOB_TIMEOUT", Settings.model_fields["worker_job_timeout"].default
        )
    )
    worker = _duration_seconds(services["worker"]["stop_grace_period"])
    assert worker > job_timeout, f"worker: {worker} s, jobs run up to {job_timeout} s"


def test_dockerfile_builds_frontend_and_ships_dist() -> None:
    stages = _dockerfile_stages()
    by_name = {s["name"]: s for s in stages if s["name"]}
    frontend = by_name.get("frontend")
    assert frontend, "need a `frontend` stage"
    _assert_maintained_node_lts(frontend["image"])
    runs = " ".join(args for instr, args in frontend["instructions"] if instr == "RUN")
    assert "npm ci" in runs and "npm run build" in runs

    # Codegen reads ../schema.graphql relative to the frontend dir.
    workdir = _stage_workdir(frontend)
    schema_dest = f"{workdir.rsplit('/', 1)[0]}/schema.graphql"
    copies = [shlex.split(a) for i, a in frontend["instructions"] if i == "COPY"]
    assert any(
        c[0] == "schema.graphql" and c[-1] in {schema_dest, "../schema.graphql"} for c in copies
    ), f"schema.graphql must be copied to {schema_dest}"

    final = stages[-1]
    assert final["image"].startswith("python:3.11"), "final image must be python 3.11"
    from_frontend = {
        parts[-2].rstrip("/"): parts[-1].rstrip("/")
        for parts in (
            shlex.split(args)
            for instr, args in final["instructions"]
            if instr == "COPY" and "--from=frontend" in args
        )
    }
    # The build, and the trusted documents manifest its codegen wrote beside schema.graphql.
    dist, manifest = (
        f"{workdir.rstrip('/')}/dist",
        f"{workdir.rsplit('/', 1)[0]}/persisted-documents.json",
    )
    assert set(from_frontend) == {dist, manifest}, f"final stage copies {sorted(from_frontend)}"

    env = _stage_env(final)
    assert env.get("FRONTEND_DIST", "").rstrip("/") == from_frontend[dist], (
        f"FRONTEND_DIST={env.get('FRONTEND_DIST')!r} but dist is copied to {from_frontend[dist]!r}"
    )
    assert env.get("TRUSTED_DOCUMENTS_MANIFEST") == from_frontend[manifest], (
        f"TRUSTED_DOCUMENTS_MANIFEST={env.get('TRUSTED_DOCUMENTS_MANIFEST')!r} but the manifest "
        f"is copied to {from_frontend[manifest]!r}"
    )


def test_dockerfile_runtime_settings(settings_env_names: set[str]) -> None:
    final = _final_stage()
    env = _stage_env(final)
    assert env.get("ENV") == "production"
    assert env.get("HOST") == "0.0.0.0" and env.get("PORT") == "8000"
    assert env.get("DATA_DIR") == "/app/data"
    unknown = set(env) - NON_SETTINGS_IMAGE_ENV - settings_env_names
    assert not unknown, f"Dockerfile ENV not in Settings: {sorted(unknown)}"
    for secret in ("JWT_SECRET", "PAYMENT_WEBHOOK_SECRET"):
        assert secret not in env, f"{secret} must not be baked into the image"

    instructions = final["instructions"]
    users = [args for instr, args in instructions if instr == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "image must run as non-root"
    assert any(i == "EXPOSE" and "8000" in a.split() for i, a in instructions)
    runs = " ".join(args for instr, args in instructions if instr == "RUN")
    assert "pip install" in runs or any(
        i == "COPY" and "/opt/venv" in a for i, a in instructions
    ), "final stage must install flashmart into /opt/venv (or copy that venv in)"
    assert "/opt/venv/bin" in env.get("PATH", "")


def test_dockerfile_healthcheck_without_curl() -> None:
    checks = [args for instr, args in _final_stage()["instructions"] if instr == "HEALTHCHECK"]
    assert len(checks) == 1
    check = checks[0]
    assert "/healthz" in check and "urllib" in check
    assert "curl" not in check and "wget" not in check


def test_dockerfile_cmd_is_real_subcommand(cli_commands: dict[str, Any]) -> None:
    cmds = [args for instr, args in _final_stage()["instructions"] if instr == "CMD"]
    assert cmds, "final stage needs a CMD"
    argv = _exec_form(cmds[-1])
    invocations = _flashmart_invocations(argv)
    assert invocations and invocations[0][:1] == ["serve"], (
        f"CMD should be `flashmart serve`: {argv}"
    )
    for invocation in invocations:
        _assert_valid_invocation("Dockerfile CMD", invocation, cli_commands)


def test_dockerignore_keeps_context_clean() -> None:
    patterns = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for needed in (".git", ".env", "**/node_modules", "**/.venv", "data"):
        assert needed in patterns, f".dockerignore must exclude {needed}"
    # The build needs these; an ignore rule would break COPY.
    for kept in ("backend", "frontend", "schema.graphql", "Dockerfile"):
        assert kept not in patterns


# --------------------------------------------------------------------------- client address


def _default(value: str) -> str:
    """`${VAR:-default}` resolved to its default (a literal stays as it is)."""
    return re.sub(r"\$\{[A-Z_0-9]+:-([^}]*)\}", r"\1", value)


def test_nginx_replaces_the_clients_forwarded_for(services: dict[str, dict[str, Any]]) -> None:
    conf = _nginx_conf(services)
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;", conf)
    # Appending keeps whatever the client sent at the left: never in the live config.
    live = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert "$proxy_add_x_forwarded_for" not in live
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", live)


def test_the_api_trusts_forwarded_headers_only_from_the_proxys_fixed_address(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    import ipaddress

    [pool] = compose["networks"]["default"]["ipam"]["config"]
    subnet = ipaddress.ip_network(_default(pool["subnet"]))
    proxy_address = _default(services["proxy"]["networks"]["default"]["ipv4_address"])
    assert ipaddress.ip_address(proxy_address) in subnet
    for name in APP_SERVICES:
        trusted = _default(str(services[name]["environment"]["FORWARDED_ALLOW_IPS"]))
        assert trusted == proxy_address, f"{name} trusts {trusted!r}, not only the proxy"


def test_nginx_sends_the_apps_security_headers_with_the_files_it_serves(
    services: dict[str, dict[str, Any]],
) -> None:
    from flashmart.core.settings import DEFAULT_CONTENT_SECURITY_POLICY, Settings

    referrer = Settings.model_fields["referrer_policy"].default
    expected = {
        "Content-Security-Policy": f'"{DEFAULT_CONTENT_SECURITY_POLICY}"',
        "X-Frame-Options": '"DENY"',
        "X-Content-Type-Options": '"nosniff"',
        "Referrer-Policy": f'"{referrer}"',
        "Strict-Transport-Security": "$flashmart_hsts",
    }
    conf = _nginx_conf(services)
    for path in ("/", "/assets/index-3f2a9c.js", "/admin/orders", "/metrics"):
        uri, body = _nginx_location_for(conf, path)
        assert "proxy_pass" not in body
        sent = dict(re.findall(r'add_header\s+(\S+)\s+("[^"]*"|\S+)\s+always;', body))
        assert {k: sent.get(k) for k in expected} == expected, f"location {uri}"
    hsts = re.search(r"map\s+\$scheme\s+\$flashmart_hsts\s*\{([^}]*)\}", conf)
    assert hsts, "HSTS by scheme"
    assert re.search(r'https\s+"max-age=31536000";', hsts[1])
    assert re.search(r'default\s+"";', hsts[1])
    assert Settings.model_fields["hsts_max_age_seconds"].default == 31536000


# --------------------------------------------------------------------------- observability
OBSERVABILITY = ("prometheus", "grafana", "jaeger")


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """{container path: host path} of a service's bind mounts of repository files."""
    found = {}
    for volume in service.get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if source.startswith("./"):
            found[target] = source
    return found


def test_the_observability_profile_leaves_the_default_stack_alone(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, service in services.items():
        profiles = service.get("profiles")
        if name in OBSERVABILITY:
            assert profiles == ["observability"], name
        else:
            assert profiles is None, f"{name} must start with a plain `docker compose up`"
        for port in service.get("ports", []) if name in OBSERVABILITY else ():
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond the host"


def test_prometheus_gets_its_config_and_scrapes_api_and_worker(
    services: dict[str, dict[str, Any]],
) -> None:
    prometheus = services["prometheus"]
    mounts = _mounts(prometheus)
    assert mounts["/etc/prometheus"] == "./deploy/prometheus"
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    config = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    assert (REPO / "deploy/prometheus/alerts.yml").is_file()
    targets = {
        job["job_name"]: (sd["names"], sd["port"])
        for job in config["scrape_configs"]
        for sd in job["dns_sd_configs"]
    }
    api_port = services["api"]["expose"][0]
    assert targets["flashmart-api"] == (["api"], int(api_port))
    worker_env = services["worker"]["environment"]
    assert targets["flashmart-worker"] == (["worker"], int(worker_env["WORKER_METRICS_PORT"]))
    assert worker_env["WORKER_METRICS_HOST"] == "0.0.0.0"  # reachable on the compose network
    assert "ports" not in services["worker"]  # ... and nowhere else


def test_grafana_is_provisioned_with_the_datasource_and_the_dashboards(
    services: dict[str, dict[str, Any]],
) -> None:
    grafana = services["grafana"]
    mounts = _mounts(grafana)
    assert mounts["/etc/grafana/provisioning"] == "./deploy/grafana/provisioning"
    provider = yaml.safe_load(
        (REPO / "deploy/grafana/provisioning/dashboards/flashmart.yml").read_text()
    )["providers"][0]
    dashboards_dir = provider["options"]["path"]
    assert mounts[dashboards_dir] == "./deploy/grafana/dashboards"
    password = grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD"]
    assert password.startswith("${GRAFANA_ADMIN_PASSWORD")
    default_home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert (REPO / mounts[dashboards_dir] / Path(default_home).name).is_file()
    assert default_home.startswith(dashboards_dir + "/")
    (source,) = yaml.safe_load(
        (REPO / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )["datasources"]
    assert source["url"] == "http://prometheus:9090"
    assert grafana["depends_on"]["prometheus"]["condition"] == "service_healthy"


def test_jaeger_takes_otlp_on_the_compose_network(services: dict[str, dict[str, Any]]) -> None:
    jaeger = services["jaeger"]
    assert str(jaeger["image"]).startswith("jaegertracing/all-in-one:")
    assert str(jaeger["environment"]["COLLECTOR_OTLP_ENABLED"]).lower() == "true"
    assert {"4317", "4318"} <= {str(p) for p in jaeger["expose"]}
    assert any(str(p).endswith(":16686") for p in jaeger["ports"])


def test_the_image_installs_the_locked_versions() -> None:
    """backend/requirements.lock, then flashmart with --no-deps: nothing resolved at build
    time (docs/dependencies.md)."""
    stage = next(s for s in _dockerfile_stages() if s["name"] == "python-build")
    copies = [shlex.split(a) for i, a in stage["instructions"] if i == "COPY"]
    runs = [a for i, a in stage["instructions"] if i == "RUN"]
    lock = next(c[-1] for c in copies if c[0] == "backend/requirements.lock")
    installs = [r for r in runs if "pip install" in r and "--upgrade pip" not in r]
    assert installs == [f"pip install -r {lock}", "pip install --no-deps /src/backend"]
    assert (REPO / "backend/requirements.lock").is_file()
