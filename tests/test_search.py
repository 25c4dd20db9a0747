"""Search, build side (site/search/) and the segmenter of the browser side (assets/search/worker.js).

The browser side's segmenter runs in real Chromium here, loaded into a blank page; the whole
search is exercised in test_search_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from pilotguide.content.gather import load_content
from pilotguide.site.search import cuts as search_cuts
from pilotguide.site.search import index as search_index
from pilotguide.site.search import offline as search_offline

ZWSP = "\u200b"


# ---- build side: the guide's own terms, the lexicon, the index ----

def test_user_terms_come_from_titles_aliases_and_places(minimal):
    terms = search_cuts.user_terms(load_content(minimal))
    assert "高潮村" in terms            # a case study's location part
    assert all(len(t) >= 2 and search_cuts.HAN.fullmatch(t) for t in terms)  # Chinese runs only


def test_user_terms_of_the_shipped_guide():
    from conftest import REPO

    terms = search_cuts.user_terms(load_content(REPO))
    for term in ["枢纽型社区社会组织", "政府购买服务", "表彰激励", "平房区", "推进政府购买服务"]:
        assert term in terms


def test_lexicon_holds_words_and_their_parts():
    words = set(search_cuts.lexicon(["例如调解邻里纠纷，关爱刑满释放人员。"], ["刑满释放人员"]))
    assert {"邻里纠纷", "邻里", "纠纷", "调解"} <= words          # jieba's word and its parts
    assert {"刑满释放人员", "刑满释放", "释放", "人员"} <= words   # a user term kept whole, and its parts
    assert not any(len(w) < 2 for w in words)


def test_a_user_term_stays_whole_only_in_its_own_build():
    import jieba

    assert "枢纽型社区社会组织" in search_cuts.lexicon(["枢纽型社区社会组织"], ["枢纽型社区社会组织"])
    assert "枢纽型社区社会组织" not in search_cuts.lexicon(["枢纽型社区社会组织"])
    assert not jieba.dt.FREQ.get("枢纽型社区社会组织")  # Material's global tokenizer is untouched


def fake_site(tmp_path: Path) -> Path:
    index = {"config": {"lang": ["en"], "separator": "[\\s\\u200b]+"},
             "docs": [{"location": "a.html", "title": f"邻里{ZWSP}纠纷", "text": f"<p>调解{ZWSP}邻里纠纷</p>"},
                      {"location": "a.html#x", "title": "调解", "text": "YAML"},
                      {"location": "b.html", "title": "刑满释放人员", "text": ""}]}
    (tmp_path / "search").mkdir()
    (tmp_path / search_index.INDEX).write_text(json.dumps(index), encoding="utf-8")  # as Material: \uXXXX
    return tmp_path


def test_index_is_rewritten_as_utf8_plain_text_with_a_lexicon(tmp_path):
    site = fake_site(tmp_path)
    assert search_index.rewrite_index(site, ["刑满释放人员"])
    raw = (site / search_index.INDEX).read_text(encoding="utf-8")
    assert "邻里纠纷" in raw and "\\u" not in raw.replace("\\u200b", "")  # UTF-8, not escapes
    assert ZWSP not in raw
    index = json.loads(raw)
    assert index["docs"][0]["title"] == "邻里纠纷"
    lexicon = index["config"]["pilotguide"]["lexicon"].split(" ")
    assert "纠纷" in lexicon and "刑满释放人员" in lexicon
    assert (site / search_index.INDEX_SCRIPT).read_text(encoding="utf-8") == f"var __index = {raw}"


def test_index_report_counts_pages_and_bytes(tmp_path):
    site = fake_site(tmp_path)
    search_index.rewrite_index(site)
    report = search_index.index_report(site)
    size = (site / search_index.INDEX).stat().st_size
    assert (report.pages, report.entries, report.bytes, report.bytes_per_page) == (2, 3, size, size // 2)
    assert f"{size:,} 字节" in str(report) and "每页约" in str(report)
    assert search_index.index_report(tmp_path / "nowhere") is None
    assert search_index.rewrite_index(tmp_path / "nowhere") is False


# ---- MkDocs side: worker and shim wiring ----

def test_local_shim_replaces_the_cdn_one():
    polyfills = search_offline.offline_polyfills([search_offline.UNPKG_SHIM])
    assert polyfills == [search_offline.SHIM]
    assert search_offline.offline_polyfills(polyfills) == [search_offline.SHIM]  # once only


def test_material_does_not_cut_chinese_a_second_time():
    from material.plugins.search import plugin as material_search

    search_offline.OfflineSearch().prepare(SimpleNamespace(records={}))
    assert material_search.jieba is None  # the pages are cut once, for our lexicon


def test_pages_point_at_the_pilotguide_worker():
    offline = search_offline.OfflineSearch()
    page = '<script id="__config" type="application/json">{"base": "..", ' \
           '"search": "../assets/javascripts/workers/search.2c215733.min.js", "tags": null}</script>'
    out = offline.on_post_page(page)
    assert '"search": "../assets/pilotguide/search-worker.js"' in out
    assert offline.material_worker == "search.2c215733.min.js"


def test_vendored_assets_match_their_manifest():
    vendor = resources.files("pilotguide") / "assets" / "vendor"
    manifest = json.loads((vendor / "vendor.json").read_text(encoding="utf-8"))
    assert "iframe-worker" in manifest
    for name, entry in manifest.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]) and entry["license"], name
        assert any(target.endswith("LICENSE") for target in entry["files"]), f"{name} ships its licence"
        for target, spec in entry["files"].items():
            data = (vendor / target).read_bytes()
            assert hashlib.sha256(data).hexdigest() == spec["sha256"], target


@pytest.mark.slow
def test_built_site_ships_worker_shim_and_no_outside_address(shipped_site):
    worker = (shipped_site / search_offline.WORKER).read_text(encoding="utf-8")
    material = re.search(r'"(\.\./javascripts/workers/search\.[0-9a-f]+\.min\.js)"', worker)
    assert material and (shipped_site / "assets" / "pilotguide" / material.group(1)).resolve().is_file()
    assert (shipped_site / search_offline.SHIM).is_file()
    assert (shipped_site / search_offline.VENDOR / "iframe-worker" / "LICENSE").is_file()
    for page in shipped_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "search-worker.js" in html and "unpkg" not in html, page
        assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="https://squidfunk', '')), page
    report = search_index.index_report(shipped_site)
    assert report.pages >= 20 and report.bytes_per_page < 8_000
    print(f"\n{report}")


# ---- browser side: the segmenter of worker.js, in Chromium ----

@pytest.fixture(scope="module")
def segmenter(browser):
    """Evaluate `js` with `S` = a Segmenter over `words`, in a blank page holding worker.js."""
    context = browser.new_context()
    page = context.new_page()
    page.add_script_tag(content=search_offline.asset_text("search/worker.js"))

    def run(words: list[str], js: str):
        return page.evaluate(f"words => {{ const S = new PilotguideSearch.Segmenter(words); return {js}; }}", words)

    yield run
    context.close()


LEXICON = ["邻里", "纠纷", "邻里纠纷", "调解", "高潮", "高潮村", "哈尔滨", "社区", "社会", "组织", "社会组织",
           "社区社会组织", "研究", "研究生", "生命"]


@pytest.mark.browser
@pytest.mark.parametrize("text,words", [
    ("邻里纠纷", ["邻里纠纷"]),
    ("调解邻里纠纷", ["调解", "邻里纠纷"]),
    ("研究生命", ["研究", "生命"]),             # fewest words, not the longest first word
    ("培育社区社会组织", ["培", "育", "社区社会组织"]),  # unknown characters stand alone
])
def test_cut_finds_the_fewest_words(segmenter, text, words):
    assert segmenter(LEXICON, f"S.cut({json.dumps(text)}, true)") == words


@pytest.mark.browser
@pytest.mark.parametrize("word,parts", [
    ("社区社会组织", ["社区", "社会", "组织"]),
    ("邻里纠纷", ["邻里", "纠纷"]),
    ("高潮村", ["高潮", "村"]),
    ("哈尔滨", ["哈尔滨"]),   # no part of two characters or more: stays whole
    ("纠纷", ["纠纷"]),
])
def test_parts_of_a_compound(segmenter, word, parts):
    assert segmenter(LEXICON, f"S.parts({json.dumps(word)})") == parts


@pytest.mark.browser
def test_documents_and_queries_are_cut_alike(segmenter):
    indexed = segmenter(LEXICON, 'S.indexText("<p>调解邻里纠纷：第 2 步</p>")')
    assert indexed == "<p>|调解|邻里|纠纷|：|第| 2 |步|</p>".replace("|", ZWSP)
    assert segmenter(LEXICON, 'S.queryText("纠纷")') == "纠\\纷"
    assert segmenter(LEXICON, 'S.queryText("邻里纠纷")') == "+邻\\里* +纠\\纷*"
    assert segmenter(LEXICON, 'S.queryText("高潮村 YAML")') == "+高\\潮* +村 YAML"
    assert segmenter(LEXICON, 'S.queryText("怎么调解邻里纠纷")') == "调\\解 +邻\\里* +纠\\纷*"  # 怎 么 dropped
    assert segmenter(LEXICON, 'S.queryText("第1步")') == "第 1 步"  # no word: characters are all there is
    assert segmenter(LEXICON, 'PilotguideSearch.clean("邻里\\u200b纠纷")') == "邻里纠纷"


@pytest.fixture(scope="module")
def planner(browser):
    """Evaluate `js` with `S` = a Segmenter over `words`, synonyms, pinyin and the documents' `text`."""
    context = browser.new_context()
    page = context.new_page()
    page.add_script_tag(content=search_offline.asset_text("search/worker.js"))

    def run(js: str, words=LEXICON, synonyms=None, pinyin=None, text=None):
        return page.evaluate("([w, s, p, t, js]) => { const S = new PilotguideSearch.Segmenter(w, s, p, t);"
                             " return eval(js); }", [words, synonyms or {}, pinyin or {}, text, js])

    yield run
    context.close()


TEXT = "调解邻里纠纷，关爱高潮村的老人。发布到内网。社区社会组织"


@pytest.mark.browser
@pytest.mark.parametrize("query,searched,missing,lunr", [
    ("备案", [], ["备案"], ""),                                # not a word of the guide: not its characters
    ("三社联动", [], ["三社联动"], ""),
    ("备案 邻里纠纷", ["邻里纠纷"], ["备案"], "+邻\\里* +纠\\纷*"),  # the word that is there is searched
    ("研究生命", [], ["研究", "生命"], ""),                     # lexicon words the text does not hold
    ("怎么调解邻里纠纷", ["调解", "邻里纠纷"], [], "调\\解 +邻\\里* +纠\\纷*"),  # 怎么: a question word
    ("内网", ["内网"], [], "+内 +网"),                           # held as typed, though not a lexicon word
    ("到内网", ["内网"], [], "+内 +网"),                         # a function character around it is dropped
    ("村", ["村"], [], "村"),                                   # one character typed: that character
])
def test_query_plan_searches_words_the_guide_holds(planner, query, searched, missing, lunr):
    plan = planner(f"S.plan({json.dumps(query)})", text=TEXT)
    assert (plan["words"], plan["missing"], plan["query"]) == (searched, missing, lunr)


@pytest.mark.browser
def test_everyday_words_and_pinyin_are_searched_as_the_guides_terms(planner):
    synonyms, pinyin = {"吵架": "纠纷", "老年人": "养老"}, {"laonianren": ["老年人"], "yl": ["养老", "邻里"]}
    words = [*LEXICON, "吵架", "老年人", "养老"]
    text = TEXT + "养老服务"
    plan = planner('S.plan("邻居吵架")', words, synonyms, pinyin, text)
    assert (plan["words"], plan["missing"], plan["swapped"]) == (["纠纷"], ["邻居"], True)  # 邻居: not in the text
    plan = planner('S.plan("laonianren")', words, synonyms, pinyin, text)
    assert (plan["words"], plan["query"], plan["swapped"]) == (["养老"], "养\\老", True)
    plan = planner('S.plan("yl")', words, synonyms, pinyin, text)
    assert plan["alternatives"] and plan["words"] == ["养老", "邻里"]
    assert planner('S.plan("邻里纠纷").swapped', text=text) is False


@pytest.mark.browser
def test_nearby_terms_share_characters_with_the_absent_word(planner):
    pinyin = {"sqshzz": ["社区社会组织"], "lljf": ["邻里纠纷"], "gcc": ["高潮村"], "gc": ["高潮"]}
    near = planner('S.nearby("社会组织化", 5)', pinyin=pinyin, text=TEXT)
    assert near[0] == "社区社会组织" and "邻里纠纷" not in near
    assert planner('S.nearby("备案", 5)', pinyin=pinyin, text=TEXT) == []
    assert planner('S.nearby("高村", 5, true)', pinyin=pinyin, text=TEXT) == ["高潮村"]  # two characters shared


@pytest.mark.browser
def test_results_with_every_word_first_and_staff_pages_last(planner):
    groups = [[{"location": "a.html", "title": "A", "terms": {"纠纷": True, "养老": False}}],
              [{"location": "publishing.html#_4", "title": "内容", "terms": {"纠纷": True, "养老": True}},
               {"location": "publishing.html", "title": "发布指南", "terms": {"纠纷": True, "养老": True}}],
              [{"location": "b.html#x", "title": "B", "terms": {"纠纷": True, "养老": True}}],
              [{"location": "c.html", "title": "C", "terms": {"纠纷": False, "养老": True}}]]
    order = planner(f"PilotguideSearch.arrange({json.dumps(groups)}, ['publishing.html'], false)"
                    ".map(g => g.map(i => i.title))")
    assert order == [["B"], ["内容", "发布指南（供发布人员）"], ["A"], ["C"]]
    order = planner(f"PilotguideSearch.arrange({json.dumps(groups)}, ['publishing.html'], true)"
                    ".map(g => g[0].title)")  # alternatives (a vague pinyin key): Material's order
    assert order == ["A", "B", "C", "内容"]


def test_everyday_words_stay_whole_in_the_lexicon():
    words = set(search_cuts.lexicon(["关爱留守儿童，老人也要照顾。"], ["留守儿童"], whole=["放学没人管", "老人"]))
    assert "放学没人管" in words and not {"放学", "没人"} & words  # not words of the guide's text
    assert "老人" in words and "留守" in words


def test_index_lists_the_pages_for_staff(tmp_path):
    site = fake_site(tmp_path)
    assert search_index.rewrite_index(site, staff=["b.html"])
    config = json.loads((site / search_index.INDEX).read_text(encoding="utf-8"))["config"]["pilotguide"]
    assert config["staff"] == ["b.html"]
    offline = search_offline.OfflineSearch()
    offline.note_page("publishing.html", {"audience": "staff"})
    offline.note_page("index.html", {"title": "x"})
    offline.note_page("commands.html", None)
    assert offline.staff == {"publishing.html"}
    offline.note_page("publishing.html", {})  # the front matter removed
    assert offline.staff == set()


def test_pinyin_reaches_everyday_words_and_place_names(minimal):
    from pilotguide.site.search.pinyin import pinyin_keys, pinyin_words

    content = load_content(minimal)
    content.synonyms = {"老年人": "养老"}
    keys = pinyin_keys(pinyin_words(content))
    assert keys["laonianren"] == ["老年人"] and keys["yanglao"] == ["养老"]
    assert "高潮村" in keys["gaochaocun"] and "高潮" in keys["gaochao"]   # a place, whole and without 村
