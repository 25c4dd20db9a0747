"""The seam around the engine: every use of an undocumented MkDocs, Material or jieba name.

MkDocs 1.x is no longer maintained and Material for MkDocs is in maintenance, so this is where
the project breaks first when either changes. Everything here is imported lazily by its callers'
functions, never at module level of a module every build imports; each internal has a canary
test (tests/test_engine_seam.py) that names the engine version when it changes.

Internals used, and why:
- `theme.get_env` wrapped (share_bytecode): a preview keeps Material's compiled templates and its
  template listing between saves; MkDocs makes a new environment on every rebuild.
- A page's HTML as the theme wrote it, edited as text (add_head_style): the paper stamp, a
  `<style>` for print that differs per page (its address), goes before the page's `</head>`.
"""

from __future__ import annotations

import jinja2


def share_bytecode(theme, cache: jinja2.BytecodeCache) -> None:
    """Make every environment this theme creates use `cache`."""
    if getattr(theme, "_pilotguide_bytecode", None) is cache:
        return
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = cache
        listings = getattr(cache, "listings", None)
        if listings is not None:
            key = tuple(getattr(env.loader, "searchpath", ()))
            list_templates = env.list_templates

            def listed(extensions=None, filter_func=None):
                if extensions is not None or filter_func is None:
                    return list_templates(extensions, filter_func)
                # MkDocs' filter is the same code on every rebuild (its patterns come from the
                # theme, which a preview does not reload: see ARCHITECTURE.md)
                full = (key, filter_func.__code__)
                if full not in listings:
                    listings[full] = list_templates(filter_func=filter_func)
                return listings[full]
            env.list_templates = listed
        return env

    theme.get_env = get_env
    theme._pilotguide_bytecode = cache


def add_head_style(html: str, css: str) -> str:
    """`html` with a `<style>` holding `css` at the end of its <head> (unchanged without a head)."""
    if not css:
        return html
    end = html.find("</head>")
    if end < 0:
        return html
    return f"{html[:end]}<style>{css}</style>\n{html[end:]}"
