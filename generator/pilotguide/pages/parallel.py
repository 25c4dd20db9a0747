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
            payload = pickle.dumps(func(chunk))
        except BaseException:  # the parent does this chunk again itself, and meets the error there
            payload = b""
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
    results = []
    try:
        results.append(func(chunks[0]))
    finally:
        payloads = []
        for pid, read in children:
            payloads.append(_read_all(read))
            os.close(read)
            os.waitpid(pid, 0)
    # A chunk whose child failed is done again here: its error (a located ContentError, say) is
    # raised as itself, not as a copy that went through pickle.
    results += [pickle.loads(data) if data else func(chunk) for chunk, data in zip(chunks[1:], payloads)]
    return results
