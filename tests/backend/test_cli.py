"""Every `flashmart` command answers --help (the installed entry point, a real process)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = ["serve", "worker", "migrate", "seed", "createadmin", "export-schema", "run", "seckill"]


def _flashmart() -> list[str]:
    exe = Path(sys.executable).parent / "flashmart"
    return [str(exe)] if exe.exists() else [shutil.which("flashmart") or "flashmart"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help(command: str) -> None:
    done = subprocess.run(
        [*_flashmart(), command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout and command in done.stdout


def test_export_schema_writes_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    done = subprocess.run(
        [*_flashmart(), "export-schema", "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "type Query" in target.read_text()


def test_export_schema_prints_the_committed_sdl_without_output() -> None:
    done = subprocess.run(
        [*_flashmart(), "export-schema"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    committed = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text()
    assert done.stdout == committed
