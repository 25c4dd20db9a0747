"""The reader's guide without a browser: nothing overstated on policy pages, the synonyms
vocabulary is checked, pinyin keys, and the DOCX checklist and table styles read back."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import yaml
from conftest import REPO, write

from pilotguide.content.gather import load_content
from pilotguide.pages.render import render_pages

LEGAL = {"现行有效", "已修订", "已废止", "征求意见"}


def test_shipped_policy_pages_state_only_what_the_record_says():
    content = load_content(REPO)
    pages = render_pages(content)
    for record in content.all("policy"):
        data = yaml.safe_load((REPO / "policies" / f"{record.id}.yaml").read_text(encoding="utf-8"))
        page = pages[f"policies/{record.id}.md"]
        table = dict(re.findall(r"^\| (发布机关|提出机关|层级|文号|发布时间|状态) \| (.*?) \|$", page, re.M))
        for label, field in (("层级", "level"), ("文号", "number"), ("发布时间", "issued")):
            stated = data.get(field)
            assert table[label] == (str(stated) if stated and stated != "未说明" else "来源未说明"), (record.id, label)
        issuer = table.get("发布机关") or table.get("提出机关")
        assert issuer == (data["issuer"] if data["issuer"] != "未说明" else "来源未说明")
        if data["status"] in LEGAL:
            assert f"**{data['status']}**{{ .pg-badge" in table["状态"]
        else:
            assert "pg-badge" not in page, record.id  # no badge of legal force
            assert table["状态"] == ("来源未说明" if data["status"] == "未说明" else data["status"])
        assert "现行有效" not in page or data["status"] == "现行有效", record.id


def test_shipped_step_pages_state_only_what_the_record_says():
    content = load_content(REPO)
    pages = render_pages(content)
    for record in content.all("step"):
        data = yaml.safe_load((REPO / "steps" / f"{record.id}.yaml").read_text(encoding="utf-8"))
        page = pages[f"steps/{record.id}.md"]
        time_frame = re.search(r"\*\*用时\*\*：(.*?)</span>", page).group(1).strip()
        assert time_frame == (data.get("time_frame") or "来源未说明"), record.id
        tasks = page.split("## 任务")[1].split("##")[0]
        rows = re.findall(r"^\| (?!做什么|---)(.*?) \| (.*?) \| (.*?) \|$", tasks, re.M)
        assert len(rows) == len(data["tasks"]), record.id
        for (_, who, _), task in zip(rows, data["tasks"]):
            assert who == (task.get("who") or "来源未说明"), record.id


def test_the_six_provincial_measures_are_proposals_without_a_document():
    content = load_content(REPO)
    measures = [r for r in content.all("policy") if r.id.startswith("hlj-")]
    assert len(measures) == 6
    assert {r.status for r in measures} == {"文章提出的措施"}
    assert all(not r.data.get("number") and not r.data.get("issued") for r in measures)
    assert content.get("policy", "mzb-dengji-guanli-shidian").status == "未说明"


def test_unstated_values_render_as_source_does_not_say(minimal):
    policy = next((minimal / "policies").glob("*.yaml"))
    text = policy.read_text(encoding="utf-8")
    text = re.sub(r"^status: .*$", "status: 未说明", text, flags=re.M)
    text = re.sub(r"^issuer: .*$", "issuer: 未说明", text, flags=re.M)
    text = re.sub(r"^issued: .*\n", "", text, flags=re.M) + "issued: 未说明\n"
    policy.write_text(text, encoding="utf-8")
    content = load_content(minimal)
    page = render_pages(content)[f"policies/{policy.stem}.md"]
    assert "| 发布机关 | 来源未说明 |" in page and "| 发布时间 | 来源未说明 |" in page
    assert "| 状态 | 来源未说明 |" in page and "pg-badge" not in page


def test_synonym_problems_are_located(run, minimal):
    write(minimal / "synonyms.yaml", """
        纠纷: [吵架]
        邻里: [吵架, 纠纷]
        """)
    result = run(minimal, "check")
    assert result.exit_code == 1
    assert "synonyms.yaml:2:6: 常用说法“吵架”同时列在“纠纷”和“邻里”下" in result.output
    assert "synonyms.yaml:2:10: “纠纷”已经是同义词表里的词条" in result.output
    write(minimal / "synonyms.yaml", "纠纷: [吵架]\n坏: 不是列表\n")
    result = run(minimal, "check")
    assert result.exit_code == 1 and "synonyms.yaml:2:4: 字段 `坏` 应为读者常说的词语列表" in result.output


def test_shipped_synonyms_pass_check_and_reach_the_content(run, shipped):
    assert run(shipped, "check").exit_code == 0
    content = load_content(shipped)
    assert content.synonyms["吵架"] == "纠纷" and content.synonyms["老人"] == "养老"


def test_pinyin_keys_full_and_initials():
    from pilotguide.site.search.pinyin import pinyin_keys

    keys = pinyin_keys(["养老", "引领", "纠纷", "a1"])
    assert keys["yanglao"] == ["养老"] and keys["jiufen"] == ["纠纷"]
    assert set(keys["yl"]) == {"养老", "引领"}
    assert all(k.isascii() and k.isalpha() for k in keys)


def test_docx_checklist_is_one_box_no_bullet_and_kept_together():
    import docx as python_docx

    from pilotguide.courses.pack import handout_tree
    from pilotguide.courses.word import docx_bytes

    source = "# 讲义\n\n## 检查清单\n\n- [ ] 第0项\n- [ ] 第1项\n- [ ] 第2项\n\n| 甲 |\n|---|\n| 乙 |\n"
    document = python_docx.Document(io.BytesIO(docx_bytes(handout_tree(source), "课程", dt.date(2026, 1, 1))))
    items = [p for p in document.paragraphs if "项" in p.text]
    assert len(items) == 3
    for i, p in enumerate(items):
        assert p.style.name == "Checklist" and "Bullet" not in p.style.name
        assert p.text.count("□") == 1 and "•" not in p.text
        assert p.paragraph_format.keep_with_next is (i < 2)
    assert document.styles["Checklist"].paragraph_format.keep_together is True
    heading = next(p for p in document.paragraphs if p.text == "检查清单")
    assert heading.style.paragraph_format.keep_with_next is not False  # Word's headings keep with next
    rows = document.tables[0].rows
    assert all(r._tr.trPr is not None and r._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None for r in rows)


@pytest.mark.slow
def test_shipped_handout_docx_has_no_bulleted_checklist(shipped_site):
    import docx as python_docx

    document = python_docx.Document(str(shipped_site / "courses" / "guanchadian-fuzhi-tuiguang-handout.docx"))
    boxes = [p for p in document.paragraphs if "□" in p.text]
    assert boxes and all(p.style.name == "Checklist" and p.text.count("□") == 1 for p in boxes)
