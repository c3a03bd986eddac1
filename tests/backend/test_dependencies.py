"""The declared dependencies, the locks and the imports agree (docs/dependencies.md).

- every third-party package the code imports is declared in backend/pyproject.toml: the
  application's own imports among `dependencies`, the tests', tools' and benchmarks' among
  those or the `dev` / `bench` extras;
- every declared requirement is pinned in the lock `make install` uses
  (backend/requirements-dev.lock) and, for the application's, in the image's
  (backend/requirements.lock), at a version inside the declared range; both locks pin a
  package they share at the same version;
- arq and redis-py are the releases the upgrade plan in docs/dependencies.md was written for.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "backend"
RUNTIME_LOCK = BACKEND / "requirements.lock"
DEV_LOCK = BACKEND / "requirements-dev.lock"
PLAN = REPO / "docs" / "dependencies.md"


def _project() -> dict[str, object]:
    return tomllib.loads((BACKEND / "pyproject.toml").read_text())["project"]  # type: ignore[no-any-return]


def _declared(*extras: str) -> list[Requirement]:
    project = _project()
    found = [Requirement(r) for r in project["dependencies"]]  # type: ignore[attr-defined]
    optional = project["optional-dependencies"]
    for extra in extras:
        found += [Requirement(r) for r in optional[extra]]  # type: ignore[index]
    return found


def _pins(lock: Path) -> dict[str, Version]:
    """{canonical name: version} of a `uv pip compile` output (markers ignored)."""
    pins = {}
    for line in lock.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match[1])] = Version(match[2])
    assert pins, f"no pins in {lock}"
    return pins


@pytest.mark.parametrize(
    ("lock", "extras"), [(RUNTIME_LOCK, ()), (DEV_LOCK, ("dev",))], ids=["image", "dev"]
)
def test_every_declared_requirement_is_pinned_inside_its_range(
    lock: Path, extras: tuple[str, ...]
) -> None:
    pins = _pins(lock)
    problems = []
    for requirement in _declared(*extras):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement} is not in {lock.name}")
        elif not requirement.specifier.contains(pin, prereleases=True):
            problems.append(f"{requirement} but {lock.name} pins {pin}")
    assert not problems, "run `make lock` (README, Development):\n" + "\n".join(problems)


def test_the_image_lock_and_the_dev_lock_agree() -> None:
    image, dev = _pins(RUNTIME_LOCK), _pins(DEV_LOCK)
    differ = {name: (image[name], dev[name]) for name in image.keys() & dev.keys()}
    assert {n: v for n, v in differ.items() if v[0] != v[1]} == {}
    # The image needs nothing that development would not install.
    assert set(image) <= set(dev), sorted(set(image) - set(dev))


def _imports(root: Path) -> dict[str, Path]:
    """{top-level module: a file importing it} of the absolute imports under `root`."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def _local(root: Path) -> set[str]:
    """Modules of the repository itself that scripts under `root` import by their name."""
    return {p.stem for p in root.rglob("*.py")} | {"flashmart", "tests", "bench"}


@pytest.mark.parametrize(
    ("folder", "extras"),
    [
        ("backend/flashmart", ()),
        ("backend/tools", ("dev",)),
        ("tests", ("dev",)),
        ("bench", ("dev", "bench")),
    ],
)
def test_every_imported_package_is_declared(folder: str, extras: tuple[str, ...]) -> None:
    root = REPO / folder
    declared = {canonicalize_name(r.name) for r in _declared(*extras)}
    distributions = metadata.packages_distributions()
    undeclared = []
    for module, where in sorted(_imports(root).items()):
        if module in sys.stdlib_module_names or module in _local(root) or module == "__future__":
            continue
        # A package not installed here (e.g. the `bench` extra's) counts by its own name.
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        if not names & declared:
            owner = ", ".join(sorted(names))
            undeclared.append(f"{module} ({owner}), imported by {where.relative_to(REPO)}")
    assert not undeclared, (
        f"imported under {folder} but not declared in backend/pyproject.toml "
        f"(dependencies{''.join(f' or [{e}]' for e in extras)}):\n" + "\n".join(undeclared)
    )


def _covered() -> dict[str, Version]:
    """The releases docs/dependencies.md's plan was written for: its `covers:` line."""
    line = re.search(r"^Covers: (.+)$", PLAN.read_text(), re.MULTILINE)
    assert line, f"{PLAN} has no `Covers:` line"
    return {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"`([a-z-]+)==([^`]+)`", line[1])
    }


def test_arq_and_redis_py_are_the_releases_the_upgrade_plan_covers() -> None:
    covered = _covered()
    assert set(covered) == {"arq", "redis"}
    installed = {name: Version(metadata.version(name)) for name in covered}
    locked = {name: _pins(DEV_LOCK)[name] for name in covered}
    message = (
        'arq or redis-py moved: read docs/dependencies.md ("arq and redis-py 6"), check what '
        "it lists, then update its `Covers:` line"
    )
    assert installed == covered, message
    assert locked == covered, message
    # arq still caps redis-py below 6: the plan's premise.
    caps = [Requirement(r) for r in metadata.requires("arq") or [] if r.startswith("redis")]
    assert caps and not any(c.specifier.contains("6.0.0") for c in caps), message


def test_make_install_installs_the_lock() -> None:
    """`make install` (and so CI, .ci/run) installs the dev lock, then flashmart without
    resolving anything again; `make lock` writes all three locks."""
    makefile = (REPO / "Makefile").read_text()
    recipe = re.search(r"^\$\(VENV\)/\.stamp-backend:(.*?)\n\n", makefile, re.M | re.S)
    assert recipe, "the Makefile has no .stamp-backend rule"
    prerequisites, *lines = recipe[1].split("\n")
    assert "backend/requirements-dev.lock" in prerequisites.split()
    commands = [line.strip() for line in lines if line.startswith("\t")]
    assert commands == [
        "$(BIN)/pip install --quiet -r backend/requirements-dev.lock",
        "$(BIN)/pip install --quiet --no-deps -e backend",
        "touch $@",
    ]
    for lock in ("requirements-dev.lock", "requirements.lock", "requirements-checkov.lock"):
        assert f"-o {lock}" in makefile, f"`make lock` does not write {lock}"
