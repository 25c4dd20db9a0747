"""The one recipe: (content, options) -> pages and downloads, or located problems.

`pilotguide build` and `serve` (through the MkDocs plugin's GuideBuild), `generate` (Markdown on
disk for any engine) and the nav check of `check` all make the guide here and nowhere else:

1. render every page (pages/render.py: Markdown from the templates, a pure function of content),
   and the home page from guide.yaml when docs/ has none (pages/home.py);
2. make the downloads the options switch on (courses/pack.py: handouts, slides, the book), each
   only when the build cache does not hold it (courses/cache.py); a preview makes them on request;
3. check that no generated path is taken by a hand-written file in docs/.

What shapes the output besides the content is one `GuideOptions`, read from the pilotguide
plugin's options in mkdocs.yml in one place (`GuideOptions.of`), so the commands cannot disagree
on which formats are on. What a build needs from outside MkDocs (the content `pilotguide build`
has already checked) travels on the engine's config under `INPUTS` (`BuildInputs`),
the channel MkDocs itself gives plugins; nothing is set on the plugin instance from outside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..courses.cache import DownloadCache
from ..courses.fonts import cjk_font
from ..courses.engines import plan
from ..courses.formats import FORMATS, Format, configured, switches
from ..courses.pack import BOOK_FULL_CASES, LazyDownloads, course_files, download_paths
from ..errors import ContentError, Problem
from ..pages.filters import squeeze
from ..pages.home import HOME_PAGE, home_page
from ..pages.paths import SiteAddress
from ..pages.render import TEMPLATES_DIR, render_pages
from ..pages.templates import Templates

INPUTS = "pilotguide_inputs"  # the key of BuildInputs on the engine's config


@dataclass(frozen=True)
class GuideOptions:
    """Everything besides the content that shapes the pages and downloads."""

    templates_dir: Path
    formats: tuple[Format, ...] = ()
    site: SiteAddress = field(default_factory=lambda: SiteAddress("", None, False))
    book_full_cases: int = BOOK_FULL_CASES  # the book prints cases in full up to this many; beyond, a register
    # The hand-written pages' folder: without an index.md there, the home page is made from
    # guide.yaml (pages/home.py). None: no home page is made (a caller that needs none).
    docs: Path | None = None

    @classmethod
    def of(cls, root: Path, options: Any, site: SiteAddress, downloads: bool = True,
           docs: Path | None = None) -> GuideOptions:
        """The options of the pilotguide plugin as mkdocs.yml gives them (a mapping, or MkDocs'
        config of the plugin); a switch not written takes its format's default."""
        formats = formats_on(options) if downloads else ()
        return cls(Path(root) / str(_get(options, "templates_dir", TEMPLATES_DIR)), formats, site,
                   int(_get(options, "book_full_cases", BOOK_FULL_CASES)), docs)


def formats_on(options: Any) -> tuple[Format, ...]:
    """The download formats the plugin's options switch on, in registry order (rows may share a
    switch: `book` makes guide.pdf and guide.docx); a switch not written takes its default. A row
    of a file kind needs that kind's switch too: `pdf: false` turns off guide.pdf, not guide.docx.
    Rows carry the builder settings the options ask for (`slides_aspect`, formats.SETTINGS)."""
    on = {name for name, first in switches().items() if _get(options, name, first.default)}
    return configured((f for f in FORMATS.values() if f.option in on and (not f.kind or f.kind in on)),
                      options if options is not None else {})


def _get(options: Any, name: str, default: Any) -> Any:
    value = options.get(name) if options is not None else None
    return default if value is None else value


class DownloadProblems(ContentError):
    """Located problems met while making the downloads (the pages were rendered)."""


@dataclass
class GuideOutput:
    pages: dict[str, str]
    downloads: dict[str, bytes]  # with lazy downloads: every path, each an empty placeholder
    lazy: LazyDownloads | None = None  # a preview's downloads, each made when a browser asks for it
    # The PDF engine's one warning (PDFs from a browser, or none made: courses/engines.py), for the
    # caller to show, and the site paths of the downloads not made (switched off or no PDF engine).
    notice: str | None = None
    unmade: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class BuildInputs:
    """What `pilotguide build` hands to the build it starts: the content it has checked (loaded once)."""

    content: Any = None


def make_guide(content, options: GuideOptions, templates: Templates | None = None, memo=None,
               downloads_cache: DownloadCache | None = None, with_downloads: bool = True,
               lazy_downloads: bool = False) -> GuideOutput:
    """The guide's pages, then its downloads. Raises ContentError (located problems) or PackError
    (a download library or font is missing). `memo` is a preview's, kept between saves;
    `downloads_cache` keeps made files by the key of what they are made from (courses/cache.py:
    a build's on disk, a preview's in memory); `with_downloads=False` renders the pages alone (the
    nav check); `lazy_downloads` (a preview) lists the downloads and makes none: each is made when
    asked for (`GuideOutput.lazy`), never on a save's path.

    The PDF engine is chosen first (engines.plan): without one the PDF formats are dropped before
    the pages are rendered, so no page offers them."""
    templates = templates if templates is not None else Templates(options.templates_dir)
    formats, pdf_engine, notice = plan(options.formats) if with_downloads else (options.formats, None, None)
    pages = render_pages(content, templates, downloads=formats, memo=memo, site=options.site)
    if options.docs is not None and not (options.docs / HOME_PAGE).is_file():  # the home page from guide.yaml
        pages = {HOME_PAGE: squeeze(home_page(content, templates, pages, formats, options.site.name)), **pages}
    if not with_downloads:
        return GuideOutput(pages, {})
    unmade = set(download_paths(content, tuple(f for f in FORMATS.values() if f.name not in {g.name for g in formats})))
    if lazy_downloads:
        if any(f.needs_font for f in formats):
            cjk_font()  # a missing font is said at once, as in a build
        lazy = LazyDownloads(content, pages, formats, downloads_cache or DownloadCache(), templates,
                             options.site, options.book_full_cases, pdf_engine)
        return GuideOutput(pages, dict.fromkeys(lazy.paths, b""), lazy, notice, unmade)
    try:
        downloads = course_files(content, pages, formats, cache=downloads_cache, templates=templates,
                                 site=options.site, book_full_cases=options.book_full_cases,
                                 engine=pdf_engine)
    except ContentError as error:
        raise DownloadProblems(error.problems) from None
    return GuideOutput(pages, downloads, notice=notice, unmade=unmade)


def clash_problems(docs: Path, paths) -> list[Problem]:
    """Generated pages (or downloads) whose path is taken by a hand-written file in `docs`."""
    return [Problem(f"{docs.name}/{p}", 0, 0,
                    f"手写文件与生成的页面 `{p}` 同名：请改名或删除手写文件（生成的页面来自 YAML 内容）。")
            for p in dict.fromkeys(q.partition("#")[0] for q in paths) if (docs / p).is_file()]


def check_clashes(docs: Path, output: GuideOutput) -> None:
    problems = clash_problems(docs, [*output.pages, *output.downloads])
    if problems:
        raise ContentError(problems)
