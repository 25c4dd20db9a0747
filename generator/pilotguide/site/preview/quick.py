"""The preview's quick path: a save that changes only records re-renders only the pages it changed.

After each full MkDocs build of a `pilotguide serve` session, the plugin keeps what that build made
(`LastBuild`: the config, files, navigation and theme environment, and the GuideBuild). A later
save that touched only record files (not glossary terms, which link every page, nor courses, which
make downloads; not mkdocs.yml, templates, docs/ or the settings files) is then handled here
without MkDocs' `build()`: the content is loaded again (unchanged files from the session's cache),
every page rendered (unchanged records' pages from the memo), and only the pages whose text
changed go through Python-Markdown and the theme again, through MkDocs' own page functions, with
every plugin's page events. MkDocs' build would also reload the config, list the theme's files and
make every page object and the navigation again: most of a save's time at 1,000 case studies.

Whatever the quick path cannot vouch for (a page added or removed, a changed title of a page in the
navigation, a changed download, a content error, anything unexpected) makes it return False, and
the caller runs MkDocs' dirty build as before (with that build's own limits: a title changed in
the navigation shows on the pages it rebuilds, the others keep the old one until a restart or
`--full-rebuild`). A quick save gives the pages it rebuilds exactly as a full build would
(tests/test_quick.py compares them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files, InclusionLevel

from ...content.schemas import kinds
from .. import engine
from ..extras import stamped

log = logging.getLogger("mkdocs.plugins.pilotguide.quick")

# Kinds whose records reach beyond their own pages: glossary terms become links on every page,
# courses make the downloads. A save to one of them takes MkDocs' build.
SLOW_KINDS = ("glossary", "course")


@dataclass
class LastBuild:
    """What the last full build of a preview made, for the quick path to build pages with."""

    config: Any  # MkDocsConfig
    files: Files
    nav: Any  # Navigation
    env: Any  # the theme's jinja2 Environment
    guide: Any  # the GuideBuild of that build
    titled: set[int]  # ids of the pages whose title mkdocs.yml's nav gives

    def nav_pages(self) -> set[int]:
        return {id(page) for page in self.nav.pages}


def records_only(root: Path, changed: set[str]) -> bool:
    """True when every changed path is inside the folder of a kind the quick path may rebuild.

    Not only record files: an editor's side files (vim's swap and backup files, JetBrains' and
    gedit's temporary files) land in the same save, and a subfolder may be moved or removed. The
    quick path reads the folders again whatever changed in them, and a record gone or added
    changes the set of pages, which sends the save to MkDocs' build."""
    folders = {kind.folder: kind.name for kind in kinds().values()}
    for raw in changed:
        try:
            rel = Path(raw).absolute().relative_to(root)
        except ValueError:
            return False
        kind = folders.get(rel.parts[0]) if len(rel.parts) > 1 else None
        if kind is None or kind in SLOW_KINDS:
            return False
    return True


def rebuild(last: LastBuild, make_guide: Callable[[], Any], use: Callable[[Any], None]) -> list[str] | None:
    """Rebuild the pages a records-only save changed; their paths, or None for "take MkDocs' build".

    `make_guide` loads and renders the guide again (a GuideBuild of the session); `use` hands it to
    the plugin, whose page events the built pages go through."""
    guide = make_guide()
    old = last.guide
    if guide.problems or not guide.render(last.config) or guide.pages.keys() != old.pages.keys():
        return None
    if guide.downloads != old.downloads:
        return None
    guide.terms, guide.backend = old.terms, old.backend  # the same glossary and search as the build
    guide.copyright = old.copyright
    last.config.copyright = stamped(old.copyright, guide.content)  # the new content fingerprint
    guide.search.prepare(guide.content)  # record titles and places feed the search lexicon
    stage = guide.session.stage
    stage.update(guide.pages)
    use(guide)
    files, config = last.files, last.config
    pages, titles = [], {}
    for path in stage.changed:
        file = files.get_file_from_path(path)
        if file is None:
            return None
        if file.page is None:  # a script or picture made with the pages (the case table's data)
            file.copy_file()
            continue
        titles[id(file.page)] = file.page.title
        if id(file.page) not in last.titled:  # MkDocs' title is a property that an assignment
            vars(file.page).pop("title", None)  # (GuideBuild.clean's) replaces for good: undo it
        pages.append(file.page)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    nav_pages = last.nav_pages()
    retitled = engine.preview_pages(pages, config, files, last.nav, last.env, doc_files,
                                    lambda page: id(page) in nav_pages and page.title != titles[id(page)])
    if retitled:
        return None  # every page's navigation shows a retitled page: MkDocs' build makes them again
    last.guide = guide
    return list(stage.changed)

