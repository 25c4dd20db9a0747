"""Run a pure function over chunks of work in forked processes (`pilotguide build --jobs N`).

Rendering thousands of record pages is parallel by nature: each page reads only the (already
loaded) content. Forked children inherit the content as it is in memory, so nothing but the
results (page text) crosses a process boundary. Where `fork` is missing (Windows) or only one
job is asked for, the work runs in this process.
"""

from __future__ import annotations

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
            payload = pickle.dumps((True, func(chunk)))
        except BaseException as error:  # handed to the parent, which raises it there
            payload = pickle.dumps((False, error))
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os._exit(0)


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
    results = [func(chunks[0])]
    failure = None
    for pid, read in children:
        data = _read_all(read)
        os.close(read)
        os.waitpid(pid, 0)
        ok, value = pickle.loads(data) if data else (False, RuntimeError("a worker process ended without a result"))
        if ok:
            results.append(value)
        elif failure is None:
            failure = value
    if failure is not None:
        raise failure
    return results
