"""pages/parallel.py: forked work gives the same results, in order, and the same errors."""

from __future__ import annotations

import os

import pytest

from pilotguide.errors import ContentError, Problem
from pilotguide.pages import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")


def test_chunks_run_in_other_processes_and_come_back_in_order():
    results = parallel.fork_map(lambda chunk: (os.getpid(), [x * x for x in chunk]), [[1, 2], [3], [4, 5]])
    assert [r[1] for r in results] == [[1, 4], [9], [16, 25]]
    assert results[0][0] == os.getpid() and {r[0] for r in results[1:]}.isdisjoint({os.getpid()})


def test_an_error_in_a_child_is_raised_here_as_itself():
    def work(chunk):
        if chunk == ["bad"]:
            raise ContentError([Problem("x.yaml", 3, 5, "模板出错")])
        return chunk
    with pytest.raises(ContentError) as raised:
        parallel.fork_map(work, [["good"], ["bad"]])
    assert raised.value.problems[0].line == 3 and "x.yaml:3:5" in raised.value.format()
