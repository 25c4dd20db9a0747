"""Render content to Markdown pages: a pure function from Content to {path: markdown}.

Templates are Jinja2 with StrictUndefined. A project overrides any packaged template by putting a
file of the same name in its own `templates/` folder. Content text is passed to templates as data
and never compiled as a template, so `{{ }}` written in a YAML field appears literally. The text
filters (`inline`, `block`, `cell`, `autolink`) also make it inert (sanitize.py): raw HTML cleaned,
unsafe links neutralised, so the Markdown is safe in any engine.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..content.model import Content, Record
from ..errors import ContentError, Problem
from . import parallel, topics
from .sanitize import inert_markdown

TEMPLATES_DIR = "templates"

# kind -> (index page, record page pattern, template of a record page)
PAGES = {
    "policy": ("policies/index.md", "policies/{id}.md"),
    "step": ("steps/index.md", "steps/{id}.md"),
    "case-study": ("case-studies/index.md", "case-studies/{id}.md"),
    "glossary": ("glossary.md", "glossary.md#{id}"),
    "course": ("courses/index.md", "courses/{id}.md"),
}

# kind -> further pages of each record: (template, page pattern, extra context). A course has a
# print-ready handout and a trainer's version with answers (course.schema.json keeps course ids
# from ending in -handout or -trainer, so these never clash with another course's page).
RECORD_EXTRAS = {
    "course": (("course-handout.md.j2", "courses/{id}-handout.md", {"trainer": False}),
               ("course-handout.md.j2", "courses/{id}-trainer.md", {"trainer": True})),
}
DOWNLOAD_FORMATS = ("pdf", "docx")  # files made from each handout page (courses/pack.py)
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word"}


def handout_paths(record: Record) -> dict[str, str]:
    """Site paths of a course's handouts without extension: {"handout": ..., "trainer": ...}.

    `.md` is the page; `.pdf` and `.docx` the downloads made from it, with readable names."""
    return {"handout": f"courses/{record.id}-handout", "trainer": f"courses/{record.id}-trainer"}


def page_of(record: Record) -> str:
    """Where a record is shown: its own page, or an anchor on its kind's page."""
    return PAGES[record.kind][1].format(id=record.id)


def relative(target: str, page: str) -> str:
    """Link from `page` to `target` (both site-relative .md paths, target may carry #anchor)."""
    path, _, anchor = target.partition("#")
    rel = "" if path == page else _relpath(path, posixpath.dirname(page))
    return rel + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    # posixpath.relpath asks the OS for the working directory on every call; a guide makes tens of
    # thousands of links between a handful of folders, so the answers are worth keeping.
    return posixpath.relpath(path, start or ".")


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes or newlines break the row."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    return " ".join(inert_markdown(str(value)).split()).replace("|", "\\|")


def inline(value: Any) -> str:
    """One line of text, for list items and headings."""
    return " ".join(inert_markdown(str(value)).split()) if value is not None else ""


def block(value: Any, indent: int = 0) -> str:
    """Multi-line Markdown, indented to sit inside a list item or admonition."""
    text = inert_markdown(str(value)).strip("\n") if value is not None else ""
    pad = " " * indent
    return "\n".join((pad + line) if line.strip() else "" for line in text.splitlines())


_NOT_IN_AUTOLINK = re.compile(r"[\x00-\x20<>\"'{}|\\^`\x7f]")


def autolink(value: Any) -> str:
    """A web address for an autolink `<...>`: characters that could end it are percent-encoded."""
    return _NOT_IN_AUTOLINK.sub(lambda m: f"%{ord(m.group(0)):02X}", str(value))


def place(location: dict | None) -> str:
    """A location from province down to village, as one Chinese place name."""
    if not location:
        return ""
    parts = ("province", "city", "district", "street", "community")
    return "".join(str(location[p]) for p in parts if location.get(p))


def squeeze(markdown: str) -> str:
    """Collapse the blank lines that optional sections leave behind (never inside code fences)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return "\n".join(out).rstrip() + "\n"


def environment(project_templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PackageLoader("pilotguide", TEMPLATES_DIR))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; HTML is sanitised after Markdown renders
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cell=cell, inline=inline, block=block, autolink=autolink, h=topics.h)
    return env


@jinja2.pass_context
def _link(context, record: Record, text: str | None = None) -> str:
    """A Markdown link to a record from the page being rendered."""
    href = relative(page_of(record), context["page"])
    label = cell(text if text is not None else record.title).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({href})"


@jinja2.pass_context
def _url(context, target: str) -> str:
    return relative(target, context["page"])


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


@lru_cache(maxsize=64)
def _reads_neighbours(env: jinja2.Environment, template: str) -> bool:
    """Whether a record template reads `previous`/`next` (a case page does not: retitling a case,
    which moves it in title order, then leaves its neighbours' pages alone)."""
    source = env.loader.get_source(env, template)[0]  # type: ignore[union-attr]
    return bool({"previous", "next"} & jinja2.meta.find_undeclared_variables(env.parse(source)))


def _environment_for(project_templates: Path | None) -> jinja2.Environment:
    """One environment per set of override files: `pilotguide serve` rebuilds on every save, and
    compiling the templates anew each time costs more than rendering a few pages."""
    overrides: tuple = ()
    if project_templates is not None and project_templates.is_dir():
        overrides = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in project_templates.iterdir()))
    key = (str(project_templates), overrides)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS.clear()
        _ENVIRONMENTS[key] = environment(project_templates)
    return _ENVIRONMENTS[key]


def render_pages(content: Content, project_templates: Path | None = None,
                 downloads: tuple[str, ...] = DOWNLOAD_FORMATS, memo=None, jobs: int = 1) -> dict[str, str]:
    """Every generated page of the guide, as {site-relative path: Markdown}.

    `downloads`: the formats of course handouts the build also writes, which pages link to.
    `memo` (an pages.memo.PageMemo, kept by `pilotguide serve`) skips record pages whose inputs
    are the very same records as last time: packaged record templates read only their record, its
    references, back-links and neighbours. Index and finding pages are always rendered; with
    template overrides, which may read anything, every page is. `jobs` > 1 renders the record
    pages in that many processes (pages/parallel.py; not with a memo, which lives in this one)."""
    env = _environment_for(project_templates)
    if memo is not None and project_templates is not None and any(project_templates.glob("*.j2")):
        memo = None
    env.globals.update(link=_link, url=_url, content=content, place=place,
                       lookup=lambda kind, ids: [content.get(kind, i) for i in ids],
                       downloads=tuple(downloads), format_names=FORMAT_NAMES, handout_paths=handout_paths)
    env.globals.update(topics.template_globals(content))
    fixed = (env, tuple(downloads), getattr(content, "today", None),
             tuple((k, tuple(v)) for k, v in sorted(content.vocabularies.items())))
    pages: dict[str, str] = {}
    templates: dict[str, jinja2.Template] = {}

    def render(template: str, page: str, inputs: tuple | None = None, **context: Any) -> None:
        _check_page_path(page, context.get("record"))
        key = (fixed, template, inputs)  # records compare by identity (Record is eq=False)
        if memo is not None and inputs is not None and (done := memo.get(page, key)) is not None:
            pages[page] = done
            return
        if template not in templates:  # get_template stats the file on every call
            templates[template] = env.get_template(template)
        pages[page] = squeeze(templates[template].render(page=page, **context))
        if memo is not None and inputs is not None:
            memo.put(page, key, pages[page])

    tasks: list[tuple[str, str, tuple, dict]] = []  # record pages: (template, page, inputs, context)
    order: list[str] = []  # each index page, then its records' pages, whatever process rendered them
    for kind, (index, pattern) in PAGES.items():
        records = content.all(kind)
        render(f"{kind}-index.md.j2", index.partition("#")[0], records=records)
        order.append(index.partition("#")[0])
        if "#" in pattern:
            continue  # records shown on the index page itself
        for i, record in enumerate(records):
            previous = records[i - 1] if i > 0 else None
            following = records[i + 1] if i + 1 < len(records) else None
            neighbours = (previous, following) if _reads_neighbours(env, f"{kind}.md.j2") else ()
            inputs = (record, *neighbours, *(content.get(r.kind, r.id) for r in record.refs),
                      None, *content.cited_by(record))
            tasks.append((f"{kind}.md.j2", page_of(record), inputs, dict(record=record, previous=previous, next=following)))
            for template, pattern, extra in RECORD_EXTRAS.get(kind, ()):
                tasks.append((template, pattern.format(id=record.id), inputs, dict(record=record, **extra)))
            order.extend(task[1] for task in tasks[len(tasks) - 1 - len(RECORD_EXTRAS.get(kind, ())):])

    def render_tasks(chunk: list) -> dict[str, str]:
        for template, page, inputs, context in chunk:
            render(template, page, inputs, **context)
        return {page: pages[page] for _, page, _, _ in chunk}

    jobs = jobs if memo is None and parallel.can_fork() else 1
    for done in parallel.fork_map(render_tasks, [tasks[i::jobs] for i in range(jobs)]):
        pages.update(done)
    pages = {page: pages[page] for page in order}
    topics.render_finding_pages(content, render, pages, place)  # topics, statistics (with SVG files), changes
    return pages


def _check_page_path(page: str, record: Record | None) -> None:
    """A page path stays inside the output folder, whatever a (custom) id or template does.

    Ids are slugs by schema, so this never fires for valid content; it is the last line of defence
    before anything is written (by MkDocs or by `generate`)."""
    normal = posixpath.normpath(page)
    if normal == page and not page.startswith(("/", "../")) and page != ".." and "\\" not in page and ":" not in page:
        return
    where = (record.path, *record.doc.where(("id",))) if record is not None else ("(pilotguide)", 0, 0)
    raise ContentError([Problem(*where, f"页面路径 `{page}` 会写到输出目录之外，已拒绝。")])
