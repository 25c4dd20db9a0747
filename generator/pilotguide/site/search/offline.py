"""Search on a site that needs nothing from outside: our worker and the vendored iframe-worker shim."""

from __future__ import annotations

import json
import logging
from importlib import resources
from pathlib import Path

from .. import engine
from .cuts import Cuts, user_terms
from .index import index_report, rewrite_index
from .pinyin import pinyin_words

log = logging.getLogger("mkdocs.plugins.pilotguide.search")

WORKER = "assets/pilotguide/search-worker.js"
VENDOR = "assets/pilotguide/vendor"  # third-party browser assets, with their licences (vendor.json)
SHIM = f"{VENDOR}/iframe-worker/shim.js"
STAFF = "staff"  # front matter `audience: staff`: a page for the staff who publish, not for readers
UNPKG_SHIM = "https://unpkg.com/iframe-worker/shim"  # what Material's offline plugin would add


def asset_text(name: str) -> str:
    return (resources.files("pilotguide") / "assets" / name).read_text(encoding="utf-8")


def vendored_files() -> list[str]:
    """The shipped third-party files (paths under assets/vendor/), as vendor.json lists them."""
    manifest = json.loads(asset_text("vendor/vendor.json"))
    return [target for entry in manifest.values() for target in entry["files"]]


def offline_polyfills(polyfills: list) -> list:
    """Material's `extra.polyfills` with the shipped iframe-worker shim instead of the CDN copy.

    The shim lets Material start its worker from file://; shipped locally, Material's offline
    plugin (if listed) sees an iframe-worker polyfill and adds no CDN copy."""
    kept = [p for p in polyfills if str(p) != UNPKG_SHIM]
    if not any("iframe-worker" in str(p) for p in kept):
        kept.append(SHIM)
    return kept


class OfflineSearch:
    """What the pilotguide plugin does for search and offline use, one method per MkDocs event."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.synonyms: dict[str, str] = {}
        self.pinyin_from: list[str] = []
        self.material_worker: str | None = None
        self.staff: set[str] = set()  # pages for publishing staff (front matter `audience: staff`)
        self.cuts = Cuts()
        self._record_terms: dict = {}  # what user_terms and pinyin_words keep between a preview's saves
        self._title_words: dict = {}

    def prepare(self, content) -> None:
        """Before the build: the guide's own words for the lexicon; Material's jieba pass off."""
        self.terms = user_terms(content, self._record_terms)
        self.synonyms = dict(getattr(content, "synonyms", None) or {})
        if len(self._title_words) > 100_000:
            self._title_words.clear()
        self.pinyin_from = pinyin_words(content, self._title_words)
        engine.skip_material_segmenting()

    def note_page(self, url: str, meta: dict | None) -> None:
        """Remember whether the page at `url` is for publishing staff (`audience: staff` in its front
        matter): readers' search lists such pages last, marked."""
        if isinstance(meta, dict) and str(meta.get("audience", "")).strip().lower() == STAFF:
            self.staff.add(url)
        else:
            self.staff.discard(url)

    def on_post_page(self, output: str) -> str:
        """Point the page's search worker (`__config.search`) at ours, which loads Material's."""
        output, worker = engine.point_search_worker(output, WORKER)
        if worker is not None:
            self.material_worker = worker
        return output

    def on_post_build(self, site_dir: Path, index: bool = True) -> None:
        """The worker and vendored files; with `index`, Material's index rewritten (rewrite_index)."""
        for name in vendored_files():
            target = site_dir / VENDOR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(asset_text(f"vendor/{name}"), encoding="utf-8")
        if self.material_worker:
            worker = asset_text("search/worker.js").replace(
                "__MATERIAL_WORKER__", engine.material_worker_from(WORKER, self.material_worker))
            (site_dir / WORKER).write_text(worker, encoding="utf-8")
        if index and rewrite_index(site_dir, self.terms, self.cuts, self.synonyms, self.pinyin_from,
                                   sorted(self.staff)):
            log.info(str(index_report(site_dir)))
