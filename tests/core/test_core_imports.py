"""The engine never loads the UI, and the quick subcommands load neither Textual nor httpx."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import tui.core
import tui.emulator


def _modules() -> list[str]:
    # Discovered, not listed: a module added tomorrow is covered without editing this test.
    found = []
    for package in (tui.core, tui.emulator):
        prefix = package.__name__ + "."
        found += [info.name for info in pkgutil.walk_packages(package.__path__, prefix)]
    return sorted(found)


def _run(code: str, stdin: bytes = b"") -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    result: dict[str, object] = json.loads(done.stdout.decode().splitlines()[-1])
    return result


def test_discovery_finds_the_engine() -> None:
    modules = _modules()
    assert "tui.core.request" in modules
    assert "tui.core.dockerconfigjson" in modules
    assert "tui.core.snippets" in modules


def test_core_and_emulator_never_import_textual() -> None:
    modules = _modules()
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode().splitlines()[-1]) == []


BODY = ["body", "--name=ab", "--registry=ghcr.io", "--username=u", "--password-stdin"]


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (BODY, b"p"),
        ([*BODY, "--masked"], b"p"),
        (["body", "--name=-x", "--registry=r", "--username=u", "--password-stdin"], b""),
        (["yaml", "ab"], b""),
        (["yaml", "ab", "--serving"], b""),
        (["yaml", "A"], b""),
    ],
)
def test_quick_commands_load_neither_textual_nor_httpx(argv: list[str], stdin: bytes) -> None:
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli import main\n"
        "out = io.TextIOWrapper(io.BytesIO())\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    rc = main({argv!r})\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'httpx'))\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy}))\n"
    )
    result = _run(code, stdin)
    assert result["heavy"] == []
    assert result["rc"] in (0, 2)
