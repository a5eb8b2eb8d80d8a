"""Our own small files in the config directory: written whole (atomically), 0600, under a lock.

``profiles.toml`` and ``ledger.toml`` follow the same rules: a reader never sees half a file, a
killed write leaves the old file in place, nobody else on the machine may read it, and two
regsecret processes changing it at once take turns (an inter-process lock file beside it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Long enough for a slow keyring prompt in the other process, short enough to say something.
LOCK_TIMEOUT = 30.0
TEMP_SUFFIX = ".tmp"


class LockBusy(Exception):
    """Another process held the lock for longer than the timeout."""


def ensure_private_dir(directory: Path) -> None:
    if not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask; the directory is ours, make it private.
        os.chmod(directory, 0o700)


@contextlib.contextmanager
def file_lock(lock_path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``lock_path`` against other processes (and threads); LockBusy after ``timeout``."""
    from filelock import FileLock, Timeout  # here: nothing on the start path needs it

    ensure_private_dir(lock_path.parent)
    lock = FileLock(lock_path, timeout=timeout, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise LockBusy(str(lock_path)) from None
    try:
        yield
    finally:
        lock.release()


def write_private(path: Path, text: str, *, temp_prefix: str) -> None:
    """Replace ``path`` with ``text`` in one rename, mode 0600; call it under the file's lock."""
    directory = path.parent
    ensure_private_dir(directory)
    # Under the lock no other write is under way: a temporary file here is what a process
    # killed between writing it and renaming it left behind.
    for leftover in directory.glob(f"{temp_prefix}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    fd, temp = tempfile.mkstemp(prefix=temp_prefix, suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    # Makes the rename itself durable; not available everywhere (Windows), hence best effort.
    with contextlib.suppress(OSError, AttributeError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
