"""jieba's stored cuts of the search text (site/search/cuts.py): a new or removed user word (a
retitled record) re-cuts only the runs that hold it, and the lexicon is what a cold build gives."""

from __future__ import annotations

import json
import random
import zlib
from pathlib import Path

from pilotguide.content.gather import load_content
from pilotguide.pages.render import render_pages
from pilotguide.site.search.cuts import Cuts, han_runs, lexicon, untouched, user_terms

OLD_TITLE = "黑龙江省社区社会组织登记管理试点"  # a shipped case's title (before its year), also in other pages
NEW_TITLE = "黑龙江省社区社会组织备案管理试点"


def search_text(root: Path) -> tuple[list[str], list[str]]:
    """The guide's user words and its generated pages' text (what the search index is made of)."""
    content = load_content(root)
    return user_terms(content), [text for text in render_pages(content).values() if isinstance(text, str)]


def retitle(root: Path) -> None:
    case = root / "case-studies" / "heilongjiang-2009-pilot.yaml"
    text = case.read_text(encoding="utf-8")
    assert f"title: {OLD_TITLE}（" in text
    case.write_text(text.replace(f"title: {OLD_TITLE}（", f"title: {NEW_TITLE}（", 1), encoding="utf-8")


def holding(runs, words) -> set[str]:
    return {run for run in runs if any(word in run for word in words)}


def test_a_retitled_case_recuts_only_the_runs_holding_its_old_or_new_title(shipped, tmp_path):
    store = tmp_path / "search-cuts.json.z"
    terms, texts = search_text(shipped)
    first = Cuts(store)
    before = lexicon(texts, terms, first)
    assert first.cut_runs == han_runs(texts) and store.is_file()  # cold: every run cut, then kept
    preview = Cuts()  # `pilotguide serve` keeps its cuts in memory across saves
    assert lexicon(texts, terms, preview) == before

    retitle(shipped)
    new_terms, new_texts = search_text(shipped)
    changed = set(terms) ^ set(new_terms)
    assert changed == {OLD_TITLE, NEW_TITLE}
    runs = han_runs(new_texts)
    assert holding(runs, [OLD_TITLE]) and holding(runs, [NEW_TITLE])  # the old title is still in other pages
    cold = lexicon(new_texts, new_terms, Cuts())

    warm = Cuts(store)  # the next build, in a new process: the store's cuts
    assert lexicon(new_texts, new_terms, warm) == cold  # no stale cut kept
    assert warm.cut_runs == holding(runs, changed)
    assert 0 < len(warm.cut_runs) < len(runs) / 20
    assert OLD_TITLE not in cold and OLD_TITLE in before  # the old title's runs did change

    assert lexicon(new_texts, new_terms, preview) == cold  # the preview's next save
    assert preview.cut_runs == holding(runs, changed)

    again = Cuts(store)  # an unchanged build after it cuts nothing
    assert lexicon(new_texts, new_terms, again) == cold and not again.cut_runs


def stored(store: Path) -> dict:
    return json.loads(zlib.decompress(store.read_bytes()).decode("utf-8"))


def test_a_new_word_inside_a_run_changes_that_runs_stored_cut(tmp_path):
    """The store is not reused blindly: a run holding a new user word is cut again with it, while
    a run without it keeps its stored cut (a cut only the store holds shows which was reused)."""
    store = tmp_path / "search-cuts.json.z"
    texts = ["社区要关爱刑满释放人员。", "邻里纠纷调解室"]
    assert "刑满释放人员" not in lexicon(texts, [], Cuts(store))
    data = stored(store)
    assert data["runs"]["社区要关爱刑满释放人员"].split() != ["社区", "要", "关爱", "刑满释放人员"]
    data["runs"] = {run: "只在存档里的词" for run in data["runs"]}
    store.write_bytes(zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8")))

    cuts = Cuts(store)
    words = lexicon(texts, ["刑满释放人员"], cuts)
    assert cuts.cut_runs == {"社区要关爱刑满释放人员"}
    assert cuts.runs["社区要关爱刑满释放人员"] == ("社区", "关爱", "刑满释放人员")
    assert cuts.runs["邻里纠纷调解室"] == ("只在存档里的词",)  # reused: holds no new word
    assert {"刑满释放人员", "关爱", "只在存档里的词"} <= set(words)
    assert stored(store)["runs"]["社区要关爱刑满释放人员"] == "社区 关爱 刑满释放人员"

    removed = Cuts(store)  # the word removed again: the run is cut without it
    assert "刑满释放人员" not in lexicon(texts, [], removed) and removed.cut_runs == {"社区要关爱刑满释放人员"}


def test_a_store_from_another_tokenizer_or_an_older_format_is_not_used(tmp_path):
    store = tmp_path / "search-cuts.json.z"
    texts = ["社区要关爱刑满释放人员。"]
    lexicon(texts, [], Cuts(store))
    data = stored(store)
    for broken in ({**data, "key": "another jieba"}, {k: v for k, v in data.items() if k != "terms"}):
        broken["runs"] = {run: "只在存档里的词" for run in data["runs"]}
        store.write_bytes(zlib.compress(json.dumps(broken, ensure_ascii=False).encode("utf-8")))
        cuts = Cuts(store)
        assert "只在存档里的词" not in lexicon(texts, [], cuts) and cuts.cut_runs == {"社区要关爱刑满释放人员"}


def test_runs_holding_a_changed_word_are_found_for_few_and_many_words():
    """Few changed words are looked for in each run; many, by the runs' substrings: the same runs."""
    rng = random.Random(24)
    alphabet = "社区组织培育孵化观察点邻里互助会调解室刑满释放人员"
    runs = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))): ("词",) for _ in range(2000)}
    pool = sorted({run[i:i + n] for run in runs for n in (2, 3, 5) for i in range(0, len(run) - n + 1, 7)})
    for size in (1, 8, 100, 1000):
        changed = set(rng.sample(pool, size)) | {"不在任何一段里的词"}
        kept = untouched(runs, changed)
        assert set(kept) == {run for run in runs if not any(word in run for word in changed)}
        assert 0 < len(kept) < len(runs) or size >= 100
