"""ctrl+c during a command: a sentence saying whether the request had been sent, exit 130, and
never a traceback. Real processes and a real SIGINT, against the emulator holding the request."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.fleet import sdk_profile
from tui.core.exit_codes import EXIT_STOPPED
from tui.emulator.server import Emulator

ROOT = Path(__file__).resolve().parents[2]
HELD = 600.0  # the emulator holds the request this long, or until it stops (the test's end)


@pytest.fixture
def tenant(private_home: Path) -> Iterator[Emulator]:
    with Emulator() as emu:
        sdk_profile(private_home, "dev", emu)
        yield emu


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupted(argv: list[str], when: Callable[[], bool], stdin: str = "") -> tuple[int, str]:
    """Run ``regsecret argv``, press ctrl+c (SIGINT) once ``when()`` holds: (exit code, stderr)."""
    code, _, err = interrupted_with_output(argv, when, stdin)
    return code, err


def interrupted_with_output(
    argv: list[str], when: Callable[[], bool], stdin: str = ""
) -> tuple[int, str, str]:
    """:func:`interrupted`, with what stdout got: (exit code, stdout, stderr)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
        # As from a shell: a test runner's worker may ignore SIGINT, and a child inherits that.
        preexec_fn=_default_sigint,
    )
    try:
        assert child.stdin is not None
        child.stdin.write(stdin)
        child.stdin.close()
        deadline = time.monotonic() + 30
        while not when():
            assert child.poll() is None, "the command ended before the request was held"
            assert time.monotonic() < deadline, "the request never reached the emulator"
            time.sleep(0.02)
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)
        assert child.stdout is not None and child.stderr is not None
        out, err = child.stdout.read(), child.stderr.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err


def register_argv(name: str) -> list[str]:
    return [
        "register", name, "--profile", "dev", "--registry", "ghcr.io", "--username", "octo",
        "--password-stdin", "--no-check",
    ]  # fmt: skip


def asked(emu: Emulator, method: str, path: str) -> bool:
    return any(r.method == method and r.path.startswith(path) for r in emu.requests)


def test_ctrl_c_after_the_create_went_out_says_it_may_exist(tenant: Emulator) -> None:
    tenant.delay_next(HELD)
    code, err = interrupted(
        register_argv("held"),
        lambda: asked(tenant, "POST", "/v2/admin/dockerRegistrySecrets"),
        stdin="token-1\n",
    )
    assert code == EXIT_STOPPED
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert (
        "regsecret: Stopped after the request was sent: AI Core may have created “held”; list "
        "the secrets again to see whether it is there." in err
    )


def test_ctrl_c_before_the_create_went_out_says_ai_core_has_not_received_it(
    tenant: Emulator,
) -> None:
    tenant.delay_next(HELD, scope="token")
    code, err = interrupted(
        register_argv("held"), lambda: asked(tenant, "POST", "/oauth/token"), stdin="token-1\n"
    )
    assert code == EXIT_STOPPED
    assert "Traceback" not in err
    assert (
        "regsecret: Stopped before anything was sent: AI Core has not received it, so “held” "
        "was not registered." in err
    )
    assert not asked(tenant, "POST", "/v2/admin/dockerRegistrySecrets")


def test_ctrl_c_during_a_list_says_nothing_changed(tenant: Emulator) -> None:
    tenant.delay_next(HELD)
    code, err = interrupted(
        ["list", "--profile", "dev"], lambda: asked(tenant, "GET", "/v2/admin/dockerRegistry")
    )
    assert code == EXIT_STOPPED
    assert "Traceback" not in err
    assert "regsecret: Stopped (ctrl+c). Nothing was changed in AI Core." in err


def stopped_json(out: str, command: str) -> dict[str, object]:
    """The one JSON object a stopped --json command prints: not ok, exit 130, "stopped"."""
    answer = json.loads(out)  # exactly one object: json.loads refuses anything after it
    assert isinstance(answer, dict)
    assert answer["ok"] is False and answer["exit_code"] == EXIT_STOPPED
    assert answer["command"] == command and answer["outcome"] == "stopped"
    return answer


def test_ctrl_c_of_register_json_after_the_create_went_out_is_one_object_saying_sent(
    tenant: Emulator,
) -> None:
    tenant.delay_next(HELD)
    code, out, err = interrupted_with_output(
        [*register_argv("held"), "--json"],
        lambda: asked(tenant, "POST", "/v2/admin/dockerRegistrySecrets"),
        stdin="token-1\n",
    )
    assert code == EXIT_STOPPED and "Traceback" not in err
    answer = stopped_json(out, "register")
    assert answer["sent"] is True and answer["name"] == "held" and answer["profile"] == "dev"
    assert "may have created “held”" in str(answer["sentence"])


def test_ctrl_c_of_register_json_before_the_create_is_one_object_saying_not_sent(
    tenant: Emulator,
) -> None:
    tenant.delay_next(HELD, scope="token")
    code, out, err = interrupted_with_output(
        [*register_argv("held"), "--json"],
        lambda: asked(tenant, "POST", "/oauth/token"),
        stdin="token-1\n",
    )
    assert code == EXIT_STOPPED and "Traceback" not in err
    answer = stopped_json(out, "register")
    assert answer["sent"] is False and answer["error"] is None
    assert not asked(tenant, "POST", "/v2/admin/dockerRegistrySecrets")


def test_ctrl_c_of_list_json_is_one_object(tenant: Emulator) -> None:
    tenant.delay_next(HELD)
    code, out, err = interrupted_with_output(
        ["list", "--profile", "dev", "--json"],
        lambda: asked(tenant, "GET", "/v2/admin/dockerRegistry"),
    )
    assert code == EXIT_STOPPED and "Traceback" not in err
    answer = stopped_json(out, "list")
    assert answer["secrets"] is None and answer["profile"] == "dev"
    assert answer["sentence"] == "Stopped (ctrl+c). Nothing was changed in AI Core."


def test_ctrl_c_of_rotate_json_is_one_object(tenant: Emulator) -> None:
    tenant.delay_next(HELD)
    argv = [
        "rotate", "held", "--profile", "dev", "--registry", "ghcr.io", "--username", "octo",
        "--password-stdin", "--no-check", "--json",
    ]  # fmt: skip

    def sent() -> bool:
        path = "/v2/admin/dockerRegistrySecrets"
        return asked(tenant, "POST", path) or asked(tenant, "PATCH", path)

    code, out, err = interrupted_with_output(argv, sent, stdin="token-1\n")
    assert code == EXIT_STOPPED and "Traceback" not in err
    answer = stopped_json(out, "rotate")
    assert answer["name"] == "held" and answer["tenants"] is None
    assert "may have changed some tenants" in str(answer["sentence"])


def test_ctrl_c_while_the_password_command_runs_is_one_object_saying_not_sent(
    tenant: Emulator, tmp_path: Path
) -> None:
    started = tmp_path / "started"
    argv = [
        "register", "held", "--profile", "dev", "--registry", "ghcr.io", "--username", "octo",
        "--no-check", "--json",
        "--password-command", f"sh -c 'touch {started}; exec sleep 600'",
    ]  # fmt: skip
    code, out, err = interrupted_with_output(argv, started.exists)
    assert code == EXIT_STOPPED and "Traceback" not in err
    answer = stopped_json(out, "register")
    assert answer["sent"] is False and answer["name"] == "held"
    assert not asked(tenant, "POST", "/v2/admin/dockerRegistrySecrets")
