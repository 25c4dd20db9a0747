"""Loading and validating records in forked processes (`--jobs`): the same content as one process.

`load_content(root, jobs=N)` splits the record files into N runs, loads and validates each run in
a forked child (parallel.py) and gets the records and problems back pickled. Everything it returns
or raises must be what one process makes: records (ids, fields, positions, references) in the same
order, problems and warnings in the same order, the same pages rendered from it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_corpus import CASES, make_project

from pilotguide import parallel
from pilotguide.content import gather
from pilotguide.content.gather import load_content, load_records, load_vocabularies
from pilotguide.errors import ContentError, Problems
from pilotguide.pages.render import render_pages
from pilotguide.site.guide import GuideBuild
from pilotguide.site.preview.session import PreviewSession

sys.path.insert(0, str(REPO))  # benchmarks/ is a top-level folder of the repository, not a package we ship

from benchmarks.corpus import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="no fork on this system")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus") / "guide", 200, seed=5)


@pytest.fixture
def loaders(tmp_path, monkeypatch):
    """The processes that loaded record files: each call of load_file writes its process id to a
    file (a forked child's list would not come back); returns a function reading them."""
    seen = tmp_path / "loaded-by"
    original = gather.load_file

    def spy(path, shown, problems, *args, **kwargs):
        with open(seen, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return original(path, shown, problems, *args, **kwargs)

    monkeypatch.setattr(gather, "load_file", spy)

    def processes() -> list[int]:
        pids = [int(line) for line in seen.read_text(encoding="utf-8").split()] if seen.exists() else []
        seen.unlink(missing_ok=True)
        return pids
    return processes


def records_of(content) -> list[tuple]:
    """Every record with all it carries: id, fields, where each value stands, references, file."""
    return [(r.kind, r.id, dict(r.data), r.doc.data, r.doc.positions, r.doc.key_positions, r.doc.broken,
             r.doc.path, r.doc.mtime, r.refs) for rs in content.records.values() for r in rs]


def same_content(one, other) -> None:
    assert records_of(other) == records_of(one)
    assert [str(w) for w in other.warnings] == [str(w) for w in one.warnings]
    assert {k: [r.id for r in v] for k, v in other.backlinks.items()} == \
        {k: [r.id for r in v] for k, v in one.backlinks.items()}
    assert (other.edition.hash, other.edition.name) == (one.edition.hash, one.edition.name)
    assert list(render_pages(other).items()) == list(render_pages(one).items())


def test_the_shipped_guide_loads_the_same_in_two_processes(loaders):
    one = load_content(REPO)
    assert set(loaders()) == {os.getpid()}
    two = load_content(REPO, jobs=2)
    pids = loaders()
    assert len(set(pids)) == 2 and pids.count(os.getpid()) == len(pids) // 2 + len(pids) % 2  # first half here
    assert sum(len(rs) for rs in two.records.values()) > 30
    same_content(one, two)


@pytest.mark.parametrize("jobs", [2, 3, 16])
def test_a_generated_guide_loads_the_same_in_several_processes(corpus, loaders, jobs):
    one = load_content(corpus)
    loaders()
    many = load_content(corpus, jobs=jobs)
    assert len(set(loaders())) == jobs
    assert len(many.all("case-study")) == 200
    same_content(one, many)


def raw_problems(root: Path, jobs: int) -> tuple[list, dict, list[str]]:
    """Every problem loading the records raised, in the order raised (ContentError sorts them)."""
    problems = Problems()
    unreadable: dict = {}
    records = load_records(root, load_vocabularies(root, Problems()), problems, unreadable, jobs=jobs)
    return problems.items, unreadable, [r.id for rs in records.values() for r in rs]


def outcome(root: Path, jobs: int) -> list[str]:
    try:
        content = load_content(root, jobs=jobs)
    except ContentError as error:
        return ["error"] + [str(p) for p in error.problems]
    return ["ok"] + [str(w) for w in content.warnings]


@pytest.mark.parametrize("case", CASES)
def test_broken_content_gives_the_same_located_problems_in_the_same_order(case, tmp_path, loaders):
    root = make_project(case, tmp_path)
    problems, unreadable, ids = raw_problems(root, 1)
    for jobs in (2, 3, 16):  # 16: a process for each file, all but the first a child
        assert raw_problems(root, jobs) == (problems, unreadable, ids), jobs
    loaders()
    assert outcome(root, 2) == outcome(root, 1)
    assert len(set(loaders())) == 2  # a child, and this process


def test_the_broken_corpus_has_problems_to_compare(tmp_path):
    """The test above compares something: most cases raise located problems while loading."""
    located = 0
    for case in CASES:
        problems, _, _ = raw_problems(make_project(case, tmp_path / case), 2)
        located += any(p.line > 0 for p in problems)
    assert located >= len(CASES) // 2


def test_a_child_that_crashes_has_its_files_loaded_here(corpus, tmp_path, monkeypatch):
    parent, attempts = os.getpid(), tmp_path / "attempts"
    original = gather.load_file

    def crashing(path, shown, problems, *args, **kwargs):
        if os.getpid() != parent:
            attempts.write_text(shown, encoding="utf-8")
            os._exit(70)  # as a crash would: no result, no clean-up
        return original(path, shown, problems, *args, **kwargs)

    one = load_content(corpus)
    monkeypatch.setattr(gather, "load_file", crashing)
    two = load_content(corpus, jobs=2)
    assert attempts.exists()  # a child did start, and died
    same_content(one, two)


def test_without_fork_it_loads_in_one_process(corpus, loaders, monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    one = load_content(corpus, jobs=4)
    assert set(loaders()) == {os.getpid()}
    assert len(one.all("case-study")) == 200


def test_a_build_loads_in_its_jobs_and_a_preview_in_one_process(minimal, loaders):
    build = GuideBuild(minimal, {"jobs": 2})
    assert len(set(loaders())) == 2
    session = PreviewSession()
    try:
        preview = GuideBuild(minimal, {"jobs": 2}, session=session)
    finally:
        session.close()
    assert set(loaders()) == {os.getpid()}
    assert records_of(preview.content) == records_of(build.content)


@pytest.mark.parametrize("jobs, processes", [("1", 1), ("2", 2)])
def test_check_takes_jobs(run, minimal, loaders, jobs, processes):
    result = run(minimal, "check", "--jobs", jobs)
    assert result.exit_code == 0, result.output
    assert len(set(loaders())) == processes

