"""Render content to Markdown pages: a pure function from Content to {path: markdown}.

Templates are Jinja2 with StrictUndefined. A project overrides any packaged template by putting a
file of the same name in its own `templates/` folder. Content text is passed to templates as data
and never compiled as a template, so `{{ }}` written in a YAML field appears literally. The text
filters (`inline`, `block`, `cell`, `autolink`) also make it inert (sanitize.py): raw HTML cleaned,
unsafe links neutralised, so the Markdown is safe in any engine.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any, Callable

from ..content.model import Content, Record
from ..errors import ContentError, Problem
from . import qr, topics
from .filters import autolink, block, cell, inline, place, squeeze  # noqa: F401 - re-exported
from .paths import PAGES, PROGRESS_PAGE, SiteAddress, handout_paths, page_of, relative  # noqa: F401 - re-exported
from .taxonomy import taxonomy
from .templates import Templates

TEMPLATES_DIR = "templates"  # a project's override folder, beside mkdocs.yml
# The Markdown extensions generated pages use: the site adds them to mkdocs.yml's list, and course
# downloads convert handout pages with the same ones.
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.tasklist"]

# kind -> further pages of each record: (template, page pattern, extra context). A course has a
# print-ready handout and a trainer's version with answers (course.schema.json keeps course ids
# from ending in -handout or -trainer, so these never clash with another course's page).
RECORD_EXTRAS = {
    "course": (("course-handout.md.j2", "courses/{id}-handout.md", {"trainer": False}),
               ("course-handout.md.j2", "courses/{id}-trainer.md", {"trainer": True})),
}


def render_pages(content: Content, templates: Templates | Path | None = None,
                 downloads: tuple = (), memo=None,
                 site: SiteAddress | None = None) -> dict[str, str]:
    """Every generated page of the guide, as {site-relative path: Markdown}.

    `templates`: a Templates (kept by `pilotguide serve` between rebuilds) or the project's
    override folder. `downloads`: the formats (courses/formats.py rows: name, label, suffix) the
    build also makes from each course handout, which course pages link to.
    `memo` (a pages.memo.PageMemo, kept by `pilotguide serve`) skips record pages whose inputs
    are the very same records as last time: packaged record templates read only their record, its
    references, back-links and neighbours. Index and finding pages are always rendered; with
    template overrides, which may read anything, every page is.

    `site` (where the guide is published): with a `site_url`, step and handout pages print a QR
    code of their own address (an SVG beside the page, qr.py), shown only on paper.

    Raises ContentError for bad content paths and for any template mistake (located)."""
    if not isinstance(templates, Templates):
        templates = Templates(templates)
    if templates.overridden:
        memo = None
    facets = taxonomy(content, memo)
    guide = dict(content=content, lookup=lambda kind, ids: [content.get(kind, i) for i in ids],
                 downloads=tuple(downloads), site=site, qr=qr.code_for(site),
                 **topics.template_globals(content, facets))
    fixed = (templates.key, tuple(f.name for f in downloads), content.today, site,
             tuple((k, tuple(v)) for k, v in sorted(content.vocabularies.items())))
    pages: dict[str, str] = {}

    def render(template: str, page: str, inputs: tuple | None = None, **context: Any) -> None:
        _check_page_path(page, context.get("record"))
        key = (fixed, template, inputs)  # records compare by identity (Record is eq=False)
        if memo is not None and inputs is not None and (done := memo.get(page, key)) is not None:
            pages[page] = done
            return
        pages[page] = squeeze(templates.render(template, page=page, **guide, **context))
        if memo is not None and inputs is not None:
            memo.put(page, key, pages[page])

    for kind in PAGES:
        _kind_pages(content, templates, kind, render)
    if content.all("step"):  # 我的进度: every step's ticks on one page, to print and hand in
        render("progress.md.j2", PROGRESS_PAGE, None, records=content.all("step"))
    topics.render_finding_pages(content, facets, render, pages, memo)  # topics, statistics (SVG files), changes
    if memo is not None:
        memo.forget_others(content.all("case-study"))
    pages.update(qr.files(content, site))
    return pages



def _kind_pages(content: Content, templates: Templates, kind: str, render: Callable[..., None]) -> None:
    """A kind's index page and the pages of each of its records (with the inputs each reads)."""
    index, pattern = PAGES[kind]
    records = content.all(kind)
    render(f"{kind}-index.md.j2", index.partition("#")[0], records=records)
    if "#" in pattern:
        return  # records shown on the index page itself
    reads_neighbours = templates.reads(f"{kind}.md.j2", {"previous", "next"})
    for i, record in enumerate(records):
        previous = records[i - 1] if i > 0 else None
        following = records[i + 1] if i + 1 < len(records) else None
        neighbours = (previous, following) if reads_neighbours else ()
        inputs = (record, *neighbours, *(content.get(r.kind, r.id) for r in record.refs),
                  None, *content.cited_by(record))
        render(f"{kind}.md.j2", page_of(record), inputs, record=record, previous=previous, next=following)
        for template, extra_pattern, extra in RECORD_EXTRAS.get(kind, ()):
            render(template, extra_pattern.format(id=record.id), inputs, record=record, **extra)


def _check_page_path(page: str, record: Record | None) -> None:
    """A page path stays inside the output folder, whatever a (custom) id or template does.

    Ids are slugs by schema, so this never fires for valid content; it is the last line of defence
    before anything is written (by MkDocs or by `generate`)."""
    normal = posixpath.normpath(page)
    if normal == page and not page.startswith(("/", "../")) and page != ".." and "\\" not in page and ":" not in page:
        return
    where = (record.path, *record.doc.where(("id",))) if record is not None else ("(pilotguide)", 0, 0)
    raise ContentError([Problem(*where, f"页面路径 `{page}` 会写到输出目录之外，已拒绝。")])
