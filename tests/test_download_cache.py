"""Downloads made once per content (courses/cache.py): each PDF, DOCX and PPTX is kept under the key
of what it is made from, so an unchanged rebuild makes none and an edit remakes only the files that
print it; a preview makes them when asked for, never while saving; the book lists many cases as a
register. The builders are counted: each format's row in the registry is wrapped."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import pytest
from conftest import build_project, copy_shipped, write

from pilotguide.content.gather import load_content
from pilotguide.courses import cache as cache_module
from pilotguide.courses import formats as formats_module
from pilotguide.courses.cache import DownloadCache
from pilotguide.courses.formats import selected, switches
from pilotguide.courses.pack import LazyDownloads, _book_source, course_files, download_paths
from pilotguide.pages.render import render_pages
from pilotguide.pages.templates import Templates

ALL = ("pdf", "docx", "slides", "book")
EXTRA_CASE = """\
id: extra-case
title: 测试用案例（不在课程中）
summary: 这是测试用的第一版摘要。
location:
  province: 黑龙江省
  city: 测试市
area: 农村社区
roles: [公共服务]
sources:
  - title: 测试来源
"""


class Calls:
    """(format, site path) of each builder call, from this process and from the build's forked
    workers (`--jobs`): each call appends a line to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.write_text("", encoding="utf-8")

    def note(self, name: str, path: str) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"{name}\t{path}\n")

    def __iter__(self):
        return iter(tuple(line.split("\t")) for line in self.path.read_text(encoding="utf-8").splitlines())

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def __repr__(self) -> str:
        return repr(list(self))

    def clear(self) -> None:
        self.path.write_text("", encoding="utf-8")


def counting(monkeypatch, fake: bool, tmp_path: Path) -> Calls:
    """Wrap every format's builder to note (format, site path) of each call; `fake`: return the
    handout's Markdown instead of setting a real file (the keys are what these tests are about)."""
    calls = Calls(tmp_path / "builder-calls.txt")
    for name, fmt in formats_module.FORMATS.items():
        module_name, _, function = fmt.builder.partition(":")
        module = import_module(f"pilotguide.courses.{module_name}")

        def build(handout, name=name, real=getattr(module, function), suffix=fmt.suffix, **settings):
            calls.note(name, handout.path + suffix)
            return f"{name}\n{handout.source}".encode() if fake else real(handout, **settings)
        monkeypatch.setattr(module, function, build)
    return calls


@pytest.fixture
def guide(tmp_path) -> Path:
    """The shipped guide plus a case no course draws on."""
    root = copy_shipped(tmp_path)
    write(root / "case-studies" / "extra-case.yaml", EXTRA_CASE)
    return root


def make(root: Path, full_cases: int = 50) -> tuple[dict[str, bytes], DownloadCache, dict[str, str]]:
    """One build's downloads, with the build cache's folder as `pilotguide build` keeps it."""
    content = load_content(root)
    formats = selected(ALL)
    pages = render_pages(content, Templates(root / "templates"), downloads=formats)
    cache = DownloadCache(root / ".pilotguide-cache" / "downloads")
    out = course_files(content, pages, formats, cache=cache, templates=Templates(root / "templates"),
                       book_full_cases=full_cases)
    cache.close()
    return out, cache, pages


def edit_summary(root: Path, case: str, text: str) -> None:
    path = root / "case-studies" / f"{case}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    end = index + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1  # a folded or literal summary continues on indented lines
    lines[index:end] = [f"summary: {text}\n"]
    path.write_text("".join(lines), encoding="utf-8")


def test_unchanged_guide_makes_no_download_the_second_time(guide, monkeypatch, tmp_path):
    calls = counting(monkeypatch, True, tmp_path)
    first, _, _ = make(guide)
    made = {path for _, path in calls}
    assert made == {p for p in first if not p.endswith(".css")}
    assert {"guide.pdf", "guide.docx"} <= made and any(p.endswith("-slides.pptx") for p in made)
    calls.clear()
    second, cache, _ = make(guide)
    assert list(calls) == []
    assert second == first
    assert cache.made == []


def test_an_edit_remakes_only_the_files_that_print_it(guide, monkeypatch, tmp_path):
    calls = counting(monkeypatch, True, tmp_path)
    first, _, _ = make(guide)
    calls.clear()
    edit_summary(guide, "extra-case", "这是测试用的第二版摘要。")
    make(guide)  # the case is in no course: only the book prints it (its register, the edition on its cover)
    assert sorted(path for _, path in calls) == ["guide.docx", "guide.pdf"]

    calls.clear()
    edit_summary(guide, "heilongjiang-2009-pilot", "改过的摘要：只有印着这个案例的文件重做。")
    out, cache, pages = make(guide)
    printing = {path[:-3] for path, text in pages.items() if "改过的摘要" in text and path.startswith("courses/")}
    assert printing, "the shipped course draws on this case: some handout must print its summary"
    expected = {p for p in out if any(p.startswith(base + ".") for base in printing)}
    expected |= {p for p in out if p.endswith("-slides.pptx") and any(b.endswith("-trainer") for b in printing)}
    expected |= {"guide.pdf", "guide.docx"}
    assert sorted(path for _, path in calls) == sorted(expected)
    assert len(cache.made) == len(expected)
    # the folder keeps this build's files only
    assert len(list((guide / ".pilotguide-cache" / "downloads").iterdir())) == len(cache.used)


def test_a_new_tool_version_remakes_every_download(guide, monkeypatch, tmp_path):
    calls = counting(monkeypatch, True, tmp_path)
    first, _, _ = make(guide)
    calls.clear()
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "another release")
    make(guide)
    assert {path for _, path in calls} == {p for p in first if not p.endswith(".css")}


def test_the_preview_lists_downloads_and_makes_each_only_when_asked(guide, monkeypatch, tmp_path):
    calls = counting(monkeypatch, True, tmp_path)
    content = load_content(guide)
    formats = selected(ALL)
    pages = render_pages(content, Templates(guide / "templates"), downloads=formats)
    session_cache = DownloadCache()
    lazy = LazyDownloads(content, pages, formats, session_cache, Templates(guide / "templates"))
    assert list(calls) == []  # a save lists paths and makes nothing
    built, _, _ = make(guide)
    assert sorted(lazy.paths) == sorted(built)
    calls.clear()
    assert lazy.get("guide.pdf") == built["guide.pdf"]
    handout = next(p for p in lazy.paths if p.endswith("-handout.docx"))
    assert lazy.get(handout) == built[handout]
    assert sorted(path for _, path in calls) == sorted(["guide.pdf", handout])
    calls.clear()
    assert lazy.get("guide.pdf") == built["guide.pdf"]
    assert list(calls) == []  # kept by the session
    assert lazy.get("nothing.pdf") is None


def test_download_paths_are_what_course_files_makes(guide):
    content = load_content(guide)
    for names in (ALL, ("pdf",), ("book",), ("slides", "docx")):
        formats = selected(names)
        pages = render_pages(content, Templates(guide / "templates"), downloads=formats)
        made = course_files(content, pages, formats, cache=DownloadCache(), templates=Templates(guide / "templates"))
        assert sorted(download_paths(content, formats)) == sorted(p for p in made if not p.endswith(".css"))


def test_book_lists_cases_as_a_register_above_the_limit(guide):
    content = load_content(guide)
    cases = content.all("case-study")
    full = _book_source(content, Templates(), None, None, full_cases=len(cases))[1].source
    register = _book_source(content, Templates(), None, None, full_cases=len(cases) - 1)[1].source
    for r in cases:
        assert f"{{: #case-study-{r.id} }}" in full
        assert f"#case-study-{r.id}" not in register
        lines = register.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("| ") and f"{r.id}.html" in line)
        row = lines[at]
        heading = next(line for line in reversed(lines[:at]) if line.startswith("## "))
        assert heading.startswith(f"## {r.location.province}（")  # the province heads its group
        below = "".join(r.location.get(p) or "" for p in ("city", "district", "street", "community"))
        assert r.title in row and below in row and (r.area or "来源未说明") in row
        for role in r.roles or ["来源未说明"]:
            assert role in row
    assert f"共收录 {len(cases)} 个试点案例" in register
    # the rest of the book is printed in full either way
    assert register.split("# 四、试点案例")[0].replace("\n", "") .count("{: #step-") == len(content.all("step"))
    assert len(register) < len(full)


def test_book_full_cases_is_a_plugin_option_with_a_default():
    from pilotguide.site.plugin import PilotguideConfig

    config = PilotguideConfig()
    config.load_dict({})
    assert not config.validate()[0]
    assert config["book_full_cases"] == 50
    assert "book" in switches()


@pytest.mark.slow
def test_pilotguide_build_twice_makes_no_download_and_an_edit_only_its_files(guide, monkeypatch, tmp_path):
    calls = counting(monkeypatch, False, tmp_path)  # the real builders, counted
    build_project(guide)
    first = {path for _, path in calls}
    assert {"guide.pdf", "guide.docx"} <= first, calls
    assert {"guide.pdf", "guide.docx"} <= first
    pdf = (guide / "site" / "guide.pdf").read_bytes()
    calls.clear()
    build_project(guide)
    assert list(calls) == []
    assert (guide / "site" / "guide.pdf").read_bytes() == pdf
    assert all((guide / "site" / path).stat().st_size > 0 for path in first)
    calls.clear()
    edit_summary(guide, "extra-case", "这是测试用的第二版摘要。")
    build_project(guide)
    assert sorted(path for _, path in calls) == ["guide.docx", "guide.pdf"]


@pytest.mark.slow
def test_a_preview_makes_downloads_when_asked_never_while_saving(guide, monkeypatch, tmp_path):
    from test_preview_quick import Preview

    calls = counting(monkeypatch, True, tmp_path)
    preview = Preview(guide, tmp_path / "site")
    assert list(calls) == []  # the first build lists the downloads and makes none
    assert (tmp_path / "site" / "guide.pdf").is_file()  # MkDocs knows the file: links to it are checked
    first = preview.plugin.served_file("guide.pdf")
    assert first is not None and "第一版摘要" in first.decode() and list(calls) == [("book-pdf", "guide.pdf")]
    calls.clear()
    assert preview.plugin.served_file("guide.pdf") == first and list(calls) == []
    case = guide / "case-studies" / "extra-case.yaml"
    assert preview.save(case, EXTRA_CASE.replace("第一版摘要", "第二版摘要"))  # the quick path, though the book changed
    assert list(calls) == []  # nothing made on the save's path
    second = preview.plugin.served_file("guide.pdf")
    assert second != first and "第二版摘要" in second.decode() and list(calls) == [("book-pdf", "guide.pdf")]
