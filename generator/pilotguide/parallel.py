"""Run a pure function over chunks of work in forked processes (`pilotguide build --jobs N`).

Loading thousands of record files and rendering thousands of record pages are parallel by
nature: each file or page needs only what the parent already holds. Forked children inherit it
as it is in memory, so nothing but the results (loaded records, page text) crosses a process
boundary, pickled. Where `fork` is missing (Windows) or only one job is asked for, the work runs
in this process. A leaf module like errors.py: every layer may use it, it imports none of them.
"""

from __future__ import annotations

import gc
import os
import pickle
from typing import Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return hasattr(os, "fork")


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        data = os.read(fd, 1 << 20)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _child(func: Callable[[T], R], chunk: T, fd: int) -> None:
    try:
        try:
            payload = pickle.dumps(func(chunk))
        except BaseException:  # the parent does this chunk again itself, and meets the error there
            payload = b""
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os._exit(0)


def _unpickle(data: bytes):
    """pickle.loads with the garbage collector paused: unpickling thousands of records makes
    hundreds of thousands of containers at once, none of them garbage, and the collector would
    walk them (and the rest of the young heap) again and again; that doubled the time it took."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _result(func: Callable[[T], R], chunk: T, data: bytes, status: int) -> R:
    """A child's result; its chunk done again here when the child failed, died or was killed
    (no payload, a cut-off one, or an exit status other than 0)."""
    if data and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        try:
            return _unpickle(data)
        except Exception:  # pragma: no cover - a write cut short in the child
            pass
    return func(chunk)


def fork_map(func: Callable[[T], R], chunks: list[T]) -> list[R]:
    """[func(c) for c in chunks], the first chunk here and each other one in a forked child."""
    if len(chunks) < 2 or not can_fork():
        return [func(c) for c in chunks]
    children = []
    for chunk in chunks[1:]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _child(func, chunk, write)
        os.close(write)
        children.append((pid, read))
    results = []
    try:
        results.append(func(chunks[0]))
    finally:
        done = []
        for pid, read in children:
            data = _read_all(read)
            os.close(read)
            done.append((data, os.waitpid(pid, 0)[1]))
    # A chunk whose child failed is done again here: its error (a located ContentError, say) is
    # raised as itself, not as a copy that went through pickle.
    results += [_result(func, chunk, data, status) for chunk, (data, status) in zip(chunks[1:], done)]
    return results
