#!/usr/bin/env python3
"""One-shot commands against kubectl: `regsecret body` and `regsecret yaml` versus
`kubectl create secret docker-registry ... --dry-run=client -o json`, the same job.

Runs the commands alternately (so a busy machine slows all of them alike), N times each, and prints
the median wall time from start to exit, each regsecret command's ratio to kubectl, the median
CPU time (user + system, which a busy machine disturbs far less than wall time) and peak memory
(RSS), both from wait4. Measure a regular install, not an editable one:

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install -q .
    python3 scripts/bench_oneshot.py --regsecret /tmp/bench/bin/regsecret --runs 40

``--check`` exits 1 when a ratio is over the budget (0.75).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

BUDGET = 0.75
PASSWORD = "ghp_benchmarkToken0123456789"


def run_once(argv: list[str], stdin: bytes | None) -> tuple[float, float, int]:
    """Wall seconds from start to exit, CPU seconds, and the child's peak RSS in KiB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{argv[0]} exited {process.returncode}: {' '.join(argv)}")
    # ru_maxrss is KiB on Linux, bytes on macOS.
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return elapsed, usage.ru_utime + usage.ru_stime, rss


def _python_of(script: str) -> str:
    """The interpreter named on the first line of an installed console script."""
    resolved = shutil.which(script) or script
    with open(resolved, "rb") as file:
        first = file.readline().decode("utf-8", "replace").strip()
    return first[2:].strip() if first.startswith("#!") else sys.executable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regsecret", default=shutil.which("regsecret") or "regsecret")
    parser.add_argument("--kubectl", default=shutil.which("kubectl") or "kubectl")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--check", action="store_true", help=f"exit 1 over {BUDGET}x")
    args = parser.parse_args()
    registry, user = "ghcr.io", "octocat"
    commands: dict[str, tuple[list[str], bytes | None]] = {
        "kubectl create secret docker-registry": (
            [
                args.kubectl, "create", "secret", "docker-registry", "my-reg",
                f"--docker-server={registry}", f"--docker-username={user}",
                f"--docker-password={PASSWORD}", "--dry-run=client", "-o", "json",
            ],
            None,
        ),
        "regsecret body": (
            [
                args.regsecret, "body", "--name", "my-reg", "--registry", registry,
                "--username", user, "--password-stdin",
            ],
            PASSWORD.encode() + b"\n",
        ),
        "regsecret yaml": ([args.regsecret, "yaml", "my-reg"], None),
        # For scale: what any Python command pays before its first line runs.
        "python -c pass (same interpreter)": ([_python_of(args.regsecret), "-c", "pass"], None),
    }  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = dict.fromkeys(commands, 0)
    for argv, stdin in commands.values():  # warm the page cache once
        run_once(argv, stdin)
    for _ in range(args.runs):
        for name, (argv, stdin) in commands.items():
            elapsed, used, rss = run_once(argv, stdin)
            times[name].append(elapsed)
            cpu[name].append(used)
            peaks[name] = max(peaks[name], rss)
    base = statistics.median(times["kubectl create secret docker-registry"])
    base_cpu = statistics.median(cpu["kubectl create secret docker-registry"])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.runs} runs each, alternating; load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{'command':36} {'wall':>9} {'ratio':>6} {'CPU':>9} {'ratio':>6} {'peak RSS':>10}")
    over = False
    for name in commands:
        median = statistics.median(times[name])
        ratio = median / base
        is_base = not name.startswith("regsecret")
        over = over or (not is_base and ratio > BUDGET)
        used = statistics.median(cpu[name])
        kube = name.startswith("kubectl")
        shown = "" if kube else f"{ratio:.2f}"
        shown_cpu = "" if kube else f"{used / base_cpu:.2f}"
        print(
            f"{name:36} {median * 1000:6.1f} ms {shown:>6} {used * 1000:6.1f} ms {shown_cpu:>6} "
            f"{peaks[name] / 1024:6.1f} MiB"
        )
    print(f"budget: each regsecret command's wall median at most {BUDGET}x kubectl's")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
