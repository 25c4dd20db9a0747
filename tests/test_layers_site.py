"""A county guide on the packaged model guide, built and read (issue 22, "Done when" 2): the
override's text on the step page, the hidden case absent everywhere (case table and its data,
topics, search index, the book), provenance labels on policy, step and case pages; then a
folder copy of the base changes and `check` names what changed upstream and the local override
on it until `accept-base`; a three-level chain builds. And the model guide inside a wheel."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, build_project, copy_shipped, pilotguide
from test_layers import CASE, STEP, county, course_without_case, local_policy, override_step

pytestmark = pytest.mark.slow

MODEL_NAME = "城乡社区社会组织培育指南"


def with_book(root: Path, book: bool = True) -> None:
    (root / "mkdocs.yml").write_text("site_name: 某某县培育指南\nuse_directory_urls: false\n"
                                     "theme: {name: material, language: zh, font: false}\n"
                                     f"plugins: [search, {{pilotguide: {{book: {str(book).lower()}}}}}]\n"
                                     "markdown_extensions: [tables, attr_list, admonition, md_in_html]\n",
                                     encoding="utf-8")


def built_alone(root: Path) -> Path:
    """`pilotguide build` in a process of its own, as a publisher runs it. (In one test process, after
    an in-process preview of another guide, this county's search index once held that guide's pages:
    Material's search plugin merged the index it kept from the preview; fixed, see
    test_preview_quick.py.)"""
    done = subprocess.run([sys.executable, "-m", "pilotguide", "build", "--config", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return root / "site"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def docx_text(path: Path) -> str:
    import docx
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_county_guide_on_the_packaged_model(tmp_path):
    """Started as a county office would: `pilotguide init --base model`, then local records, one
    override, one case hidden (guide.yaml `hide:`), the book switched on."""
    from click.testing import CliRunner

    from pilotguide.cli import main

    root = tmp_path / "county"
    started = CliRunner().invoke(main, ["init", str(root), "--name", "某某县培育指南", "--office", "某某县民政局",
                                        "--base", "model", "--yes"])
    assert started.exit_code == 0, started.output
    assert (root / "base-edition.json").is_file()  # the model's edition accepted at once
    guide = root / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8") + f"hide:\n  - case-studies/{CASE}\n", encoding="utf-8")
    with_book(root)
    local_policy(root)
    override_step(root, REPO)
    course_without_case(root, REPO)
    site = built_alone(root)
    hidden_title = "黑龙江省社区社会组织登记管理试点（2009 年）"

    step = text_of((site / "steps" / f"{STEP}.html").read_text(encoding="utf-8"))
    assert "建立本县的长效表彰机制" in step and "出处 ：本地修改" in step
    policy = text_of((site / "policies" / "county-policy.html").read_text(encoding="utf-8"))
    assert "某某县社区社会组织培育办法" in policy and "出处 ：本地补充" in policy
    case = (site / "case-studies" / "gaochao-village.html").read_text(encoding="utf-8")
    assert f'<p class="pg-provenance"><strong>出处</strong>：沿用《{MODEL_NAME}》</p>' in case  # no glossary links

    # the hidden case is gone: no page, link, row, topic, chart, search entry or book section of its
    # own (base prose that names it in passing, as a policy's body does, is the base's words)
    assert not (site / "case-studies" / f"{CASE}.html").exists()
    assert not (site / "topics" / "year" / "2009.html").exists()  # the only case started in 2009
    own_words = "这是文章所述黑龙江培育社区社会组织工作的起点"  # from the hidden case's summary
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json", ".js")
             and "assets" not in p.parts}
    carrying = [p for p, text in pages.items() if CASE in text or own_words in text]
    assert carrying == [], carrying  # case table and its data, topics, statistics, courses, search index ...
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] and not any(CASE in d["location"] or own_words in d["text"] or hidden_title == d["title"]
                                     for d in index["docs"])
    book = docx_text(site / "guide.docx")
    assert "建立本县的长效表彰机制" in book and "哈尔滨市平房区平盛街道高潮村" in book
    assert own_words not in book
    table = (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert "data-pg-source" in table and f"沿用《{MODEL_NAME}》" in table  # the 出处 facet of the case filter
    assert list((site / "topics" / "source").glob("*.html"))  # and its 找案例 page

    # the base changes: a folder copy of the model, accepted, then one of its records edited
    base = copy_shipped(tmp_path)
    (root / "guide.yaml").write_text((root / "guide.yaml").read_text(encoding="utf-8")
                                     .replace("base: model", "base: ../guide"), encoding="utf-8")
    assert pilotguide(root, "accept-base").exit_code == 0
    assert pilotguide(root, "check", "--strict").exit_code == 0
    path = base / "steps" / f"{STEP}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 建立长效表彰激励机制", "title: 长效表彰"),
                    encoding="utf-8")
    changed = pilotguide(root, "check", "--strict")
    assert changed.exit_code == 1
    assert f"基础指南修改了培育步骤 `{STEP}`“长效表彰”（改动：标题）" in changed.output
    assert f"steps/{STEP}.yaml:2:5: 警告：本地修改的培育步骤 `{STEP}` 所依据的基础记录已经变化" in changed.output
    assert pilotguide(root, "accept-base").exit_code == 0
    cleared = pilotguide(root, "check", "--strict")
    assert cleared.exit_code == 0 and "警告" not in cleared.output, cleared.output


def test_a_three_level_chain_builds(tmp_path):
    province = county(tmp_path, "model", name="某某省培育指南", folder="province")
    local_policy(province, "province-policy")
    root = county(tmp_path, "../province")
    with_book(root, book=False)
    override_step(root, REPO)
    site = build_project(root)
    policy = text_of((site / "policies" / "province-policy.html").read_text(encoding="utf-8"))
    assert "出处 ：沿用《某某省培育指南》" in policy
    step = text_of((site / "policies" / "hlj-changxiao-biaozhang.html").read_text(encoding="utf-8"))
    assert f"出处 ：沿用《{MODEL_NAME}》" in step
    assert "建立本县的长效表彰机制" in (site / "steps" / f"{STEP}.html").read_text(encoding="utf-8")


MODEL_FILES = ("guide.yaml", "vocabularies.yaml", "synonyms.yaml")
MODEL_FOLDERS = ("policies", "steps", "case-studies", "glossary", "courses")


def test_the_wheel_carries_the_model_guide_and_base_model_reads_it(tmp_path):
    """`pip wheel` on a copy of the source tree: the wheel holds the model guide's files, equal to
    the repository's, and a pilotguide imported from the unpacked wheel (not this checkout) finds
    it for `base: model`."""
    source = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in files.decode("utf-8").split("\0"):
        if name and (REPO / name).is_file() and not name.startswith("tests/"):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    out = tmp_path / "wheel"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(out.glob("pilotguide-*.whl"))
    expected = [n for n in MODEL_FILES] + [p.relative_to(REPO).as_posix() for f in MODEL_FOLDERS
                                           for p in (REPO / f).rglob("*.yaml")]
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for name in expected:
            assert f"pilotguide/model/{name}" in names, name
            assert archive.read(f"pilotguide/model/{name}") == (REPO / name).read_bytes(), name
        archive.extractall(unpacked)
    root = county(tmp_path, "model")
    probe = ("import sys, pilotguide; from pilotguide.content.gather import load_content; "
             "c = load_content(sys.argv[1]); print(pilotguide.__file__); print(c.base.root); "
             "print(len(c.all('step')), c.all('step')[0].provenance_label)")
    run = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr[-2000:]
    module, base_root, steps = run.stdout.splitlines()
    assert module.startswith(str(unpacked)) and base_root == str(unpacked / "pilotguide" / "model")
    assert steps == f"{len(list((REPO / 'steps').glob('*.yaml')))} 沿用《{MODEL_NAME}》"
