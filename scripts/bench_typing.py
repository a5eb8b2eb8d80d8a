"""Typing with live validation: time per key in the credentials form, against a bare Input.

Types a 40-character secret name and a 2,000-character token into ``regsecret --profile`` (an SDK
profile in a throw-away home) through a real pseudo-terminal, key by key, and the same keys into a
bare Textual app with two Inputs (scripts/minimal_form.py). A key's time runs from writing it to
the last byte of the screen's answer (the burst of output ended by 15 ms of silence).

    python scripts/bench_typing.py [--token-length 2000] [--check]

It measures; with --check it exits 1 when regsecret's 95th percentile is over 2x the bare one's.
Use a regular install (``pip install .``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench_startup import ROOT, make_home
from ptyrun import PtyProgram

NAME = "team-ml-inference-images-eu10-production"[:40]


def token(length: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(alphabet[(i * 7 + 3) % len(alphabet)] for i in range(length))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def type_all(argv: list[str], env: dict[str, str], ready: bytes, fields: list[str]) -> list[float]:
    """Per-key seconds for every character of ``fields``, Enter between fields (not timed)."""
    program = PtyProgram(argv, env, cwd=env["HOME"])  # not the checkout: see bench_startup
    times: list[float] = []
    try:
        program.wait_for(lambda s: ready in s)
        program.drain(0.3)
        for index, text in enumerate(fields):
            if index:
                program.type_key(b"\r")
            times.extend(program.type_key(char.encode()) for char in text)
    finally:
        program.stop(b"\x11y")  # what was typed is not sent: quitting asks first
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token-length", type=int, default=2000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="regsecret-typing-"))
    try:
        env = make_home(root)
        secret = token(args.token_length)
        # The form: name, Enter to the registry host, Enter to the username, Enter to the token.
        ours = type_all(
            [sys.executable, "-m", "tui", "--profile", "benchsdk"],
            env,
            b"Secret name",
            [NAME, "ghcr.io", "octocat", secret],
        )
        bare = type_all(
            [sys.executable, str(ROOT / "scripts" / "minimal_form.py")],
            env,
            b"Registry credentials",
            [NAME, secret],
        )
        # Compare the same keys: the name and the token (not the host and username in between).
        ours_keys = ours[: len(NAME)] + ours[-len(secret) :]
        print(f"{len(ours_keys)} keys each, 100x30 pty, python {sys.version.split()[0]}")
        for label, values in (("regsecret form", ours_keys), ("bare Input", bare)):
            print(
                f"{label:15} median {statistics.median(values) * 1000:5.1f} ms"
                f"  p95 {percentile(values, 95) * 1000:5.1f} ms"
                f"  max {max(values) * 1000:5.1f} ms"
            )
        ratio = percentile(ours_keys, 95) / percentile(bare, 95)
        print(f"p95 ratio {ratio:.2f} (budget 2.0)")
        return 1 if args.check and ratio > 2.0 else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
