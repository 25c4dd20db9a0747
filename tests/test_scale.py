"""Scale: the benchmark's synthetic corpus, the quick validity check, and the serve caches."""

from __future__ import annotations

import copy
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotguide.content import schemas
from pilotguide.content.cache import RecordCache
from pilotguide.content.documents import load_file
from pilotguide.content.gather import content_files, load_content, load_vocabularies
from pilotguide.content.quickcheck import quick_check
from pilotguide.content.validate import validate_reference
from pilotguide.errors import Problems
from pilotguide.pages.memo import PageMemo
from pilotguide.pages.render import render_pages
from pilotguide.pages.taxonomy import taxonomy
from pilotguide.site.preview.session import PageStage

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # benchmarks/ is a top-level folder of the repository, not a package we ship

from benchmarks.corpus import counts, generate  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus") / "guide", 40, seed=3)


def test_corpus_is_valid_and_complete(corpus):
    content = load_content(corpus)
    policies, steps = counts(40)
    assert [len(content.all(k)) for k in ("case-study", "policy", "step")] == [40, policies, steps]
    case = content.get("case-study", "case-00007")
    assert len(case.body) > 600 and case.location.province.endswith(("省", "区"))
    assert content.cited_by(content.get("step", "step-01")) or content.cited_by(content.get("step", "step-02"))


def test_corpus_is_deterministic_by_seed(tmp_path, corpus):
    again = generate(tmp_path / "again", 40, seed=3)
    other = generate(tmp_path / "other", 40, seed=4)
    name = "case-studies/case-00011.yaml"
    assert (again / name).read_bytes() == (corpus / name).read_bytes()
    assert (other / name).read_bytes() != (corpus / name).read_bytes()


def _documents(root: Path):
    vocabularies = load_vocabularies(root, Problems())
    for kind in schemas.kinds().values():
        for path in content_files(root, kind.folder):
            yield kind, load_file(path, path.name, Problems()), vocabularies


@pytest.mark.parametrize("root", ["shipped", "corpus"])
def test_quick_check_finds_the_same_references_as_jsonschema(root, request):
    for kind, doc, vocabularies in _documents(request.getfixturevalue(root)):
        problems = Problems()
        expected = validate_reference(doc, kind, vocabularies, problems)
        assert not problems.errors
        quick = quick_check(doc.data, kind, vocabularies)
        assert quick is not None, doc.path
        assert sorted((k, i, a) for k, i, a in quick) == sorted((r.kind, r.id, r.at) for r in expected)


BREAKAGES = [
    lambda d: d.update(area="城镇社区"),  # not in the vocabulary
    lambda d: d.update(started="2018-13"),
    lambda d: d.update(reviewed="2019-02-29"),  # a date that does not exist (format: date)
    lambda d: d.update(colour="红"),
    lambda d: d.pop("summary"),
    lambda d: d.update(steps="step-01"),
    lambda d: d.update(title=""),
    lambda d: d.update(id="Case_1"),
    lambda d: d.update(updated="2026-02-30"),
    lambda d: d["location"].update(city=7),
]


@pytest.mark.parametrize("break_it", BREAKAGES)
def test_quick_check_never_passes_what_jsonschema_rejects(corpus, break_it):
    kind = schemas.kinds()["case-study"]
    doc = load_file(corpus / "case-studies" / "case-00003.yaml", "c.yaml", Problems())
    vocabularies = load_vocabularies(corpus, Problems())
    break_it(doc.data)
    problems = Problems()
    validate_reference(doc, kind, vocabularies, problems)
    assert problems.errors
    assert quick_check(doc.data, kind, vocabularies) is None


_values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3),
                    st.sampled_from(["2018-02-30", "2018-12-26", "2018", "农村社区", "step-01", ""]),
                    st.lists(st.text(max_size=2), max_size=2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["area", "started", "title", "steps", "activity_types", "updated", "location",
                              "organisations", "timeline", "sources", "lessons", "extra"]),
       value=_values)
def test_quick_check_agrees_with_jsonschema_on_random_values(corpus, field, value):
    kind = schemas.kinds()["case-study"]
    base = load_file(corpus / "case-studies" / "case-00004.yaml", "c.yaml", Problems())
    vocabularies = load_vocabularies(corpus, Problems())
    doc = copy.deepcopy(base)
    doc.data[field] = value
    problems = Problems()
    validate_reference(doc, kind, vocabularies, problems)
    quick = quick_check(doc.data, kind, vocabularies)
    if quick is not None:
        assert not problems.errors, (field, value)


def test_record_cache_reloads_only_edited_files_and_keeps_their_problems(corpus, tmp_path):
    import shutil

    root = shutil.copytree(corpus, tmp_path / "guide")
    cache = RecordCache()
    first = load_content(root, cache=cache)
    assert cache.misses == len(list(root.rglob("*.yaml"))) - 1  # all but vocabularies.yaml
    path = root / "case-studies" / "case-00002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 改过的", 1), encoding="utf-8")
    cache.hits = cache.misses = 0
    second = load_content(root, cache=cache)
    assert cache.misses == 1 and cache.hits > 40
    assert second.get("case-study", "case-00002").title.startswith("改过的")
    assert second.get("case-study", "case-00009") is first.get("case-study", "case-00009")
    path.write_text(path.read_text(encoding="utf-8").replace("area: ", "area: 城镇", 1), encoding="utf-8")
    for _ in range(2):  # the problem is reported again when the broken file comes from the cache
        with pytest.raises(Exception, match="case-00002.yaml"):
            load_content(root, cache=cache)


def test_page_memo_rerenders_only_pages_that_read_an_edited_record(corpus, tmp_path):
    import shutil

    root = shutil.copytree(corpus, tmp_path / "guide")
    cache, memo = RecordCache(), PageMemo()
    render_pages(load_content(root, cache=cache), downloads=(), memo=memo)
    path = root / "case-studies" / "case-00002.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 改过的", 1), encoding="utf-8")
    memo.reused = memo.rendered = 0
    content = load_content(root, cache=cache)
    pages = render_pages(content, downloads=(), memo=memo)
    case = content.get("case-study", "case-00002")
    topics = sum(1 for f in taxonomy(content) for t in f.used() if case in t.records)
    readers = 1 + len({r.id for r in case.refs}) + topics  # its page, the step, policy and topic pages listing it
    assert memo.rendered == readers and memo.reused > 40
    assert pages == render_pages(load_content(root), downloads=())  # same pages as a fresh render
    assert "改过的" in pages["case-studies/case-00002.md"] and "改过的" in pages["case-studies/index.md"]


def test_page_stage_rewrites_only_changed_pages(tmp_path):
    stage = PageStage()
    try:
        stage.update({"a.md": "# A\n", "b/c.md": "# C\n"})
        before = os.stat(stage.path("a.md")).st_mtime_ns
        stage.update({"a.md": "# A\n", "b/c.md": "# C 改\n"})
        assert stage.changed == ["b/c.md"]
        assert os.stat(stage.path("a.md")).st_mtime_ns == before
        assert Path(stage.path("b/c.md")).read_text(encoding="utf-8") == "# C 改\n"
        stage.update({"a.md": "# A\n"})
        assert not Path(stage.path("b/c.md")).exists()
    finally:
        stage.close()
    assert not stage.root.exists()
