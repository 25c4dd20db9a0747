"""Base guides and local layers (content/layers.py): override, hide, add, chains, located errors,
base editions with accept-base, provenance on pages and in the case facets, import into the
local layer. The base here is a folder copy of the shipped guide; test_layers_site.py builds a
county guide on the packaged model."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_shipped, pilotguide, write

from pilotguide.content.gather import load_content
from pilotguide.content.layers import BASE_EDITION, model_root
from pilotguide.errors import ContentError
from pilotguide.pages.render import render_pages
from pilotguide.pages.taxonomy import taxonomy

STEP = "biaozhang-jili"  # a step of the shipped guide, overridden below
CASE = "heilongjiang-2009-pilot"  # a case of the shipped guide, hidden below (its course cites it)
COURSE = "guanchadian-fuzhi-tuiguang"


def county(parent: Path, base: str, name: str = "某某县培育指南", hide: tuple[str, ...] = (),
           folder: str = "county") -> Path:
    """An empty guide with a guide.yaml naming `base` (and hiding `hide`), beside its mkdocs.yml."""
    root = parent / folder
    root.mkdir()
    shutil.copy(FIXTURES / "minimal" / "mkdocs.yml", root / "mkdocs.yml")
    write(root / "docs" / "index.md", "# 首页\n")
    lines = [f"name: {name}", "office: 某某县民政局", f"base: {base}"]
    if hide:
        lines += ["hide:"] + [f"  - {entry}" for entry in hide]
    write(root / "guide.yaml", "\n".join(lines) + "\n")
    return root


def local_policy(root: Path, id_: str = "county-policy") -> Path:
    return write(root / "policies" / f"{id_}.yaml", f"""
        id: {id_}
        title: 某某县社区社会组织培育办法
        summary: 县里自己的办法。
        issuer: 某某县民政局
        level: 县区
        status: 现行有效
        sources: [{{title: 某某县民政局文件}}]
        """)


def override_step(root: Path, base: Path, title: str = "建立本县的长效表彰机制") -> Path:
    text = (base / "steps" / f"{STEP}.yaml").read_text(encoding="utf-8")
    text = text.replace("title: 建立长效表彰激励机制", f"title: {title}")
    return write(root / "steps" / f"{STEP}.yaml", text)


def course_without_case(root: Path, base: Path) -> Path:
    """The course, copied into the local layer without its reference to the hidden case."""
    text = (base / "courses" / f"{COURSE}.yaml").read_text(encoding="utf-8")
    cut = f"    case_studies:\n      - {CASE}\n"
    assert cut in text
    return write(root / "courses" / f"{COURSE}.yaml", text.replace(cut, ""))


@pytest.fixture
def base(tmp_path) -> Path:
    return copy_shipped(tmp_path)


@pytest.fixture
def layered(tmp_path, base) -> Path:
    """A county on the folder base: one local policy, one step overridden, one case hidden."""
    root = county(tmp_path, "../guide", hide=(f"case-studies/{CASE}",))
    local_policy(root)
    override_step(root, base)
    course_without_case(root, base)
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(root)
    return [str(p) for p in info.value.problems if not p.warning]


def test_local_records_override_hide_and_add_and_each_knows_its_layer(layered, base):
    content = load_content(layered)
    shipped = load_content(base)
    assert {r.id for r in content.all("case-study")} == {r.id for r in shipped.all("case-study")} - {CASE}
    step = content.get("step", STEP)
    assert step.title == "建立本县的长效表彰机制" and step.path == f"steps/{STEP}.yaml"
    assert (step.provenance, step.provenance_label) == ("changed", "本地修改")
    assert content.get("policy", "county-policy").provenance_label == "本地补充"
    kept = content.get("step", "zhengce-xianxing")
    assert kept.provenance_label == "沿用《城乡社区社会组织培育指南》"
    assert kept.path == "../guide/steps/zhengce-xianxing.yaml"  # messages name the base's file
    assert len(content.all("policy")) == len(shipped.all("policy")) + 1
    assert content.vocabularies == shipped.vocabularies and content.synonyms == shipped.synonyms
    # references across layers resolve: the base's steps still cite the overridden step's policies
    assert step in content.cited_by(content.get("policy", "hlj-changxiao-biaozhang"))


def test_a_guide_without_base_has_no_provenance(base):
    content = load_content(base)
    assert content.base is None and not any(r.provenance for rs in content.records.values() for r in rs)
    assert "source" not in [f.key for f in taxonomy(content)]


def test_hiding_a_record_still_referenced_is_located_at_the_hide_entry(tmp_path, base):
    root = county(tmp_path, "../guide", hide=("steps/zhengce-xianxing", f"case-studies/{CASE}"))
    errors = problems_of(root)
    assert any(e.startswith("guide.yaml:5:5: 不能隐藏培育步骤 `zhengce-xianxing`：") for e in errors), errors
    assert any(e.startswith(f"guide.yaml:6:5: 不能隐藏试点案例 `{CASE}`：../guide/courses/{COURSE}.yaml:")
               for e in errors), errors
    assert all("引用了不存在" not in e for e in errors)  # one message per hidden record, not one per reference


def test_hide_entries_that_name_nothing_get_a_suggestion(tmp_path, base):
    root = county(tmp_path, "../guide", hide=("case-study/gaochao-village", "case-studies/gaochao-vilage"))
    errors = problems_of(root)
    assert any(e.startswith("guide.yaml:5:5:") and "没有 `case-study` 这个文件夹" in e
               and "case-studies" in e for e in errors), errors
    assert any(e.startswith("guide.yaml:6:5:") and "gaochao-village" in e and "没有这条试点案例" in e
               for e in errors), errors


def test_overriding_with_another_kind_is_located_at_the_local_id(tmp_path, base):
    root = county(tmp_path, "../guide")
    text = local_policy(root, STEP).read_text(encoding="utf-8")
    assert text.startswith(f"id: {STEP}")
    errors = problems_of(root)
    assert any(e.startswith(f"policies/{STEP}.yaml:1:5: id `{STEP}` 在基础指南中是培育步骤") for e in errors), errors


def test_hiding_and_overriding_the_same_record_is_refused(tmp_path, base):
    root = county(tmp_path, "../guide", hide=(f"steps/{STEP}",))
    override_step(root, base)
    errors = problems_of(root)
    assert any(e.startswith("guide.yaml:5:5:") and "隐藏和修改只能选一个" in e for e in errors), errors


def test_a_missing_base_and_a_cycle_are_located_at_base(tmp_path):
    root = county(tmp_path, "../nowhere")
    errors = problems_of(root)
    assert errors and errors[0].startswith("guide.yaml:3:7: 找不到基础指南 `../nowhere`"), errors
    other = county(tmp_path, "../county", folder="other")
    (root / "guide.yaml").write_text("name: 甲\nbase: ../other\n", encoding="utf-8")
    errors = problems_of(root)
    assert any("形成了循环" in e for e in errors), errors
    assert other.is_dir()


def test_a_broken_base_is_reported_with_its_own_locations(tmp_path, base):
    (base / "steps" / f"{STEP}.yaml").write_text("id: [\n", encoding="utf-8")
    root = county(tmp_path, "../guide")
    errors = problems_of(root)
    assert any(e.startswith("guide.yaml:3:7: 基础指南 `../guide` 有错误（见以 ../guide/ 开头的各条）") for e in errors)
    assert any(e.startswith(f"../guide/steps/{STEP}.yaml:") for e in errors), errors


def test_a_three_level_chain_resolves_each_layer(tmp_path, base):
    province = county(tmp_path, "../guide", name="某某省培育指南", folder="province")
    local_policy(province, "province-policy")
    override_step(province, base, title="省里改过的表彰步骤")
    root = county(tmp_path, "../province", hide=("policies/province-policy",))
    local_policy(root)
    content = load_content(root)
    labels = {r.id: r.provenance_label for rs in content.records.values() for r in rs}
    assert labels[STEP] == "沿用《某某省培育指南》" and content.get("step", STEP).title == "省里改过的表彰步骤"
    assert labels["zhengce-xianxing"] == "沿用《城乡社区社会组织培育指南》"
    assert labels["county-policy"] == "本地补充" and "province-policy" not in labels
    assert content.get("step", STEP).path == f"../province/steps/{STEP}.yaml"


def test_a_zip_of_a_guide_is_a_base(tmp_path, base):
    archive = tmp_path / "province.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in base.rglob("*.yaml"):
            out.write(path, "guide/" + path.relative_to(base).as_posix())  # a zip of the folder itself
    root = county(tmp_path, "../province.zip")
    local_policy(root)
    content = load_content(root)
    assert content.get("case-study", CASE).path == f"../province.zip/case-studies/{CASE}.yaml"
    assert content.get("case-study", CASE).provenance_label == "沿用《城乡社区社会组织培育指南》"


def test_the_model_is_this_checkout_in_an_editable_install():
    from conftest import REPO
    assert model_root() == REPO


def test_local_vocabularies_replace_only_the_lists_they_name(tmp_path, base):
    root = county(tmp_path, "../guide")
    write(root / "vocabularies.yaml", "areas: [城市社区, 农村社区, 城乡结合部]\n")
    content = load_content(root)
    assert content.vocabularies["areas"] == ["城市社区", "农村社区", "城乡结合部"]
    assert content.vocabularies["phases"] == load_content(base).vocabularies["phases"]


def test_upstream_changes_are_warnings_until_accepted(tmp_path, base, layered):
    first = pilotguide(layered, "check")
    assert first.exit_code == 0 and "pilotguide accept-base" in first.output and BASE_EDITION in first.output
    accepted = pilotguide(layered, "accept-base")
    assert accepted.exit_code == 0 and "已记入基础指南《城乡社区社会组织培育指南》的当前版本" in accepted.output
    assert json.loads((layered / BASE_EDITION).read_text(encoding="utf-8"))["records"][f"step/{STEP}"]
    clean = pilotguide(layered, "check", "--strict")
    assert clean.exit_code == 0 and "警告" not in clean.output, clean.output
    # the base changes: a step the county overrides, a step it keeps, a new policy
    step = base / "steps" / f"{STEP}.yaml"
    text = step.read_text(encoding="utf-8")
    step.write_text(text.replace("title: 建立长效表彰激励机制", "title: 建立长效的表彰机制"), encoding="utf-8")
    kept = base / "steps" / "zhengce-xianxing.yaml"
    kept.write_text(kept.read_text(encoding="utf-8").replace("summary: >-", "summary: >-\n  省里补充了一句。"),
                    encoding="utf-8")
    local_policy(base, "province-new-policy")
    changed = pilotguide(layered, "check")
    assert changed.exit_code == 0, changed.output
    out = changed.output
    assert "guide.yaml:3:7: 警告：基础指南《城乡社区社会组织培育指南》自本指南接受的版本" in out
    assert "新增 1 条、修改 2 条、删除 0 条" in out
    assert "基础指南新增了政策 `province-new-policy`" in out
    assert f"基础指南修改了培育步骤 `{STEP}`“建立长效的表彰机制”（改动：标题）" in out
    assert "基础指南修改了培育步骤 `zhengce-xianxing`" in out and "（改动：摘要）" in out
    assert f"steps/{STEP}.yaml:2:5: 警告：本地修改的培育步骤 `{STEP}` 所依据的基础记录已经变化" in out
    assert "本地修改的培育步骤 `zhengce-xianxing`" not in out  # not overridden here: nothing to look at
    assert pilotguide(layered, "check", "--strict").exit_code == 1
    # the changes page lists the upstream changes the build already carries
    content = load_content(layered)
    page = _pages(content)["changes.md"]
    assert "## 基础指南的更新" in page and "尚未核对的更新" in page and "province-new-policy" in page
    done = pilotguide(layered, "accept-base")
    assert done.exit_code == 0 and "新增 1 条、修改 2 条、删除 0 条" in done.output
    after = pilotguide(layered, "check", "--strict")
    assert after.exit_code == 0 and "警告" not in after.output, after.output
    page = _pages(load_content(layered))["changes.md"]
    assert "接受的更新" in page and "尚未核对的更新" not in page and "policies/province-new-policy.md" in page


def test_accept_base_without_a_base_says_so_and_writes_nothing(base):
    result = pilotguide(base, "accept-base")
    assert result.exit_code == 1 and "没有基础指南" in result.output
    assert not (base / BASE_EDITION).exists()


def test_a_damaged_base_edition_is_a_located_error(layered):
    (layered / BASE_EDITION).write_text("{", encoding="utf-8")
    result = pilotguide(layered, "check")
    assert result.exit_code == 1 and f"{BASE_EDITION}: 基础指南版本记录文件损坏" in result.output


def test_pages_carry_provenance_and_the_case_facets_a_source(layered):
    content = load_content(layered)
    pages = _pages(content)
    assert "**出处**：本地修改" in pages[f"steps/{STEP}.md"]
    assert "**出处**：本地补充" in pages["policies/county-policy.md"]
    assert "**出处**：沿用《城乡社区社会组织培育指南》" in pages["case-studies/gaochao-village.md"]
    assert "**出处**：本地修改" in pages[f"courses/{COURSE}.md"]
    source = next(f for f in taxonomy(content) if f.key == "source")
    assert [(t.label, [r.id for r in t.records]) for t in source.used()] == \
        [("沿用《城乡社区社会组织培育指南》", ["gaochao-village"])]
    assert 'data-pg-source="[&quot;沿用《城乡社区社会组织培育指南》&quot;]"' in pages["case-studies/index.md"]
    assert not any(CASE in text for path, text in pages.items() if path.endswith(".md"))


def _pages(content) -> dict[str, str]:
    from pilotguide.pages.render import TEMPLATES_DIR
    from pilotguide.pages.templates import Templates
    return render_pages(content, Templates(content.root / TEMPLATES_DIR))


def test_import_writes_a_base_record_as_a_local_override(layered, base, tmp_path):
    from openpyxl import load_workbook

    book = tmp_path / "cases.xlsx"
    assert pilotguide(layered, "export", "--out", str(book)).exit_code == 0
    wb = load_workbook(book)
    sheet = wb["试点案例"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("编号")].value == "gaochao-village")
    row[header.index("*摘要")].value = "县里重写的摘要。"
    wb.save(book)
    before = (base / "case-studies" / "gaochao-village.yaml").read_bytes()
    result = pilotguide(layered, "import", str(book), "--update")
    assert result.exit_code == 0, result.output
    assert (base / "case-studies" / "gaochao-village.yaml").read_bytes() == before  # the base is never written
    local = layered / "case-studies" / "gaochao-village.yaml"
    assert "县里重写的摘要。" in local.read_text(encoding="utf-8")
    case = load_content(layered).get("case-study", "gaochao-village")
    assert case.provenance_label == "本地修改" and case.summary == "县里重写的摘要。"
