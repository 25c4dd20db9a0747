"""Helpers for tests that use a built site's search box and watch its requests in real Chromium.

`search(page, query)` types into Material's search box, as a reader does, and returns the result
pages in order; `RequestLog` records every request a browser context makes (pages, frames and
workers) and tells which left the site.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

QUERIES = Path(__file__).resolve().parent / "search_queries.yaml"
NOT_NETWORK = ("data:", "blob:", "about:")


def queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def site_url(site: Path) -> str:
    """The file:// address of a site folder, ending with '/'."""
    return site.resolve().as_uri() + "/"


META = "document.querySelector('.md-search-result__meta').textContent"
PLACEHOLDER = "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"


def search(page, query: str, timeout: float = 15_000) -> list[str]:
    """Type `query` into the search box; the result pages (hrefs without ?h=...), best first."""
    box = page.locator("input.md-search__input")
    box.click()  # focus opens search; from file:// that is when the index and worker load
    if box.input_value() == "":
        # Once its worker is ready, Material sends the box's value; the answer to that empty
        # query must be in before ours is typed, or it would be shown as our (empty) result.
        page.wait_for_function(f"{META} === {PLACEHOLDER}", timeout=timeout)
    # Material redraws the result count for every answer: blank it, then wait for ours.
    page.evaluate(f"{META} = ''")
    box.fill(query)
    box.press("End")  # Material reads the query on keyup; fill() alone sends no key events
    page.wait_for_function(f"{META} !== '' && {META} !== {PLACEHOLDER}", timeout=timeout)
    hrefs = page.eval_on_selector_all(
        "li.md-search-result__item > a.md-search-result__link:first-child", "links => links.map(a => a.href)")
    return [href.split("?")[0].split("#")[0] for href in hrefs]


def relative(href: str, base: str) -> str:
    """A result's page as a site path (steps/x.html), given the site's base address."""
    return unquote(href[len(base):]) if href.startswith(base) else href


class RequestLog:
    """Every request of a browser context; `outside(base)` lists those not under `base`."""

    def __init__(self, context):
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))

    def outside(self, base: str) -> list[str]:
        return [u for u in self.urls if not u.startswith(base) and not u.startswith(NOT_NETWORK)]

    def paths(self) -> set[str]:
        return {urlsplit(u).path for u in self.urls}


CASES = Path(__file__).resolve().parent / "search_cases.yaml"
NOTE = ".pilotguide-search-note"


def cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def note(page, timeout: float = 15_000) -> str:
    """The search note under the result count (assets/search-note.js) once the worker's note for
    the current query is in; '' when the answer needs none."""
    typed = "document.querySelector('input.md-search__input').value.trim()"
    page.wait_for_function(f"(() => {{ const n = document.querySelector('{NOTE}');"
                           f"return n && n.dataset.query === {typed}; }})()", timeout=timeout)
    return page.inner_text(NOTE) if page.is_visible(NOTE) else ""


def result_titles(page) -> list[str]:
    """The pages' titles of the results, in order."""
    return page.eval_on_selector_all("li.md-search-result__item > a.md-search-result__link:first-child h1",
                                     "hs => hs.map(h => h.textContent)")
