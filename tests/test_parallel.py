"""parallel.py: forked work gives the same results, in order, and the same errors."""

from __future__ import annotations

import gc
import os
import signal
import time
from pathlib import Path

import pytest

from pilotguide.errors import ContentError, Problem
from pilotguide import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")


def test_chunks_run_in_other_processes_and_come_back_in_order():
    results = parallel.fork_map(lambda chunk: (os.getpid(), [x * x for x in chunk]), [[1, 2], [3], [4, 5]])
    assert [r[1] for r in results] == [[1, 4], [9], [16, 25]]
    assert results[0][0] == os.getpid() and {r[0] for r in results[1:]}.isdisjoint({os.getpid()})
    assert gc.isenabled()  # paused only while the children's results are unpickled


def test_an_error_in_a_child_is_raised_here_as_itself():
    def work(chunk):
        if chunk == ["bad"]:
            raise ContentError([Problem("x.yaml", 3, 5, "模板出错")])
        return chunk
    with pytest.raises(ContentError) as raised:
        parallel.fork_map(work, [["good"], ["bad"]])
    assert raised.value.problems[0].line == 3 and "x.yaml:3:5" in raised.value.format()


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_child_that_dies_has_its_chunk_done_here(how):
    parent = os.getpid()

    def work(chunk):
        if os.getpid() != parent and chunk == [2]:
            if how == "exit":
                os._exit(3)  # no payload, exit status 3
            os.kill(os.getpid(), 9)  # killed by a signal, as the out-of-memory killer would
        return [x * 10 for x in chunk]
    assert parallel.fork_map(work, [[1], [2], [3]]) == [[10], [20], [30]]


def test_a_child_killed_while_sending_its_result_has_its_chunk_done_here(tmp_path):
    """The pipe holds 64 KiB: a child with a bigger result waits for the parent to read it, and is
    killed there. What arrived is a cut-off pickle; the exit status says not to trust it."""
    parent, marker = os.getpid(), tmp_path / "child-pid"

    def work(chunk):
        if chunk == "big" and os.getpid() != parent:
            part = marker.with_name("child-pid.part")
            part.write_text(str(os.getpid()))
            os.replace(part, marker)  # whole when it appears
        elif chunk == "first":
            deadline = time.monotonic() + 30
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            child = int(marker.read_text())
            while not _blocked_writing(child) and time.monotonic() < deadline:
                time.sleep(0.01)  # until the child waits for the full pipe to be read
            os.kill(child, signal.SIGKILL)
        return chunk * 100_000 if chunk == "big" else chunk
    assert parallel.fork_map(work, ["first", "big"]) == ["first", "big" * 100_000]


def _blocked_writing(pid: int) -> bool:
    """The process sleeps in the kernel waiting to write into a pipe (Linux: /proc/PID/wchan);
    where the kernel does not say, that it sleeps at all."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True  # no /proc: kill it now; the pipe is the only place it can be
    return "pipe" in wchan if wchan not in ("", "0") else state == "S"
