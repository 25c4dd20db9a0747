r"""Make content text inert: raw HTML is sanitised, unsafe links are neutralised, nothing runs.

Two layers, both built on nh3 (the Ammonia sanitiser):

1. `inert_markdown` works on each content string before it enters a Markdown page (the render
   filters `inline`, `block`, `cell` call it). It keeps the Markdown engine-neutral and inert for
   *any* engine, which matters for `pilotguide generate`, whose output another engine renders
   without us: every raw HTML tag is replaced by nh3's cleaned version of it (or dropped), every
   other `<` becomes `&lt;`, Markdown link destinations with a scheme other
   than http(s)/mailto/tel are turned into fragment links, and `{` becomes `\{` so that
   attribute lists (`{onclick=...}`, from the attr_list extension) cannot be written in content.
   Code spans are not exempt: guide text is prose, and telling code from text the way every
   engine does is exactly where sanitisers get fooled; a code sample that shows HTML tags may
   therefore lose them.
2. `clean_page` works on the HTML that MkDocs' Markdown produced for a generated page (the plugin's
   `on_page_content`): the final guarantee for the site, with an allow-list that keeps what
   Markdown, its extensions and the packaged templates emit (tables, task lists, admonitions,
   headings with ids, `data-pg-*` for filter.js ...). A template that emits new HTML must add it
   here, or the sanitiser removes it.
"""

from __future__ import annotations

import html
import re

import nh3

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What a guide's own text may use as raw HTML: inline emphasis, line breaks, simple tables and lists,
# links and images. No class, id or style: content must not restyle the page or mimic its controls.
CONTENT_TAGS = {
    "a", "abbr", "b", "br", "blockquote", "caption", "cite", "code", "dd", "del", "details", "dl", "dt",
    "em", "figcaption", "figure", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "small", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
CONTENT_ATTRIBUTES = {
    "*": {"title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
# What Markdown, admonition, attr_list, tables, toc and pymdownx.tasklist emit on a generated page.
PAGE_TAGS = CONTENT_TAGS | {"div", "span", "label", "input", "h1", "h2", "h3", "h4", "h5", "h6", "col",
                            "colgroup"}
PAGE_ATTRIBUTES = {
    **CONTENT_ATTRIBUTES,
    "*": {"title", "lang", "class", "id"},
    "input": {"type", "checked", "disabled"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align"},
}
DROPPED_WITH_CONTENT = {"script", "style"}

_content = nh3.Cleaner(tags=CONTENT_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=CONTENT_ATTRIBUTES,
                       url_schemes=URL_SCHEMES, link_rel=None)


def _page_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Material for MkDocs finds its own elements by ids starting with "__" (__config, __search ...);
    # an id from content (a heading slug) must never shadow them.
    if attribute == "id" and value.startswith("__"):
        return None
    return value


# Data the packaged scripts read (filter.js: `data-pg-*` facets on the case table). Content cannot
# write these: its own HTML is cleaned without them (layer 1) and attribute lists are escaped.
PAGE_ATTRIBUTE_PREFIXES = {"data-pg-"}

_page = nh3.Cleaner(tags=PAGE_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=PAGE_ATTRIBUTES,
                    generic_attribute_prefixes=PAGE_ATTRIBUTE_PREFIXES, url_schemes=URL_SCHEMES, link_rel=None,
                    attribute_filter=_page_attribute, filter_style_properties={"text-align"})


def clean_page(page_html: str) -> str:
    """The HTML of a generated page, with everything outside the page allow-list removed."""
    return _page.clean(page_html)


def safe_title(title: str | None) -> str | None:
    """A page title (HTML text, from the page's first heading) that stays text wherever it is printed.

    Material prints `{{ page.title | striptags }}` into <title> unescaped, and `striptags` decodes
    entities: a heading `&lt;/title&gt;&lt;script&gt;` would come back as markup. A title never
    needs `<`, so it becomes the full-width `＜`."""
    if title is None:
        return None
    return html.escape(html.unescape(title).replace("<", "＜"), quote=False)


# Raw HTML as CommonMark defines it (open and closing tags, comments, processing instructions,
# declarations, CDATA), plus script/style elements whole so their text goes with them.
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_RAW_HTML = re.compile(
    r"<(?P<dropped>script|style)\b.*?</(?P=dropped)\s*>"
    rf"|<(?P<open>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>"
    r"|</(?P<close>[A-Za-z][A-Za-z0-9-]*)\s*>"
    r"|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.DOTALL | re.IGNORECASE,
)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]*>", re.IGNORECASE)
# The start of a Markdown link destination: inline `](dest`, or a reference definition `]: dest`.
_DESTINATION = re.compile(r"\]\s*[(:]\s*(?:<|&lt;)?")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]|\\(?=[!-/:-@\[-`{-~])")


# html5ever (inside nh3) drops table parts met outside a table, so their attributes are cleaned on
# a <div> standing in for them (none of them carries a URL).
_TABLE_PARTS = {"caption", "tbody", "td", "tfoot", "th", "thead", "tr"}
_table_part = {name: nh3.Cleaner(tags={"div"},
                                 attributes={"div": CONTENT_ATTRIBUTES["*"] | CONTENT_ATTRIBUTES.get(name, set())})
               for name in _TABLE_PARTS}


def _clean_open_tag(name: str, tag: str) -> str:
    """One opening tag, cleaned by nh3 on its own (unknown tags vanish, attributes are filtered)."""
    if name in _TABLE_PARTS:
        cleaned = _table_part[name].clean("<div" + tag[1 + len(name):])
        return f"<{name}" + cleaned[len("<div"):-len("</div>")] if cleaned else ""
    cleaned = _content.clean(tag)
    closing = f"</{name}>"
    # nh3 closes the element it was given; only the opening tag belongs here.
    return cleaned.removesuffix(closing)


def _clean_tag(match: re.Match) -> str:
    if match.group("open"):
        return _clean_open_tag(match.group("open").lower(), match.group(0))
    if match.group("close") and match.group("close").lower() in CONTENT_TAGS:
        return f"</{match.group('close').lower()}>"
    return ""  # a dropped element, comment, declaration or a closing tag outside the allow-list


def _unsafe_scheme(destination: str) -> bool:
    """Whether a link destination would run as something other than a web, mail or phone link.

    Browsers decode entities in attributes and ignore tabs, newlines and leading spaces in URLs;
    Markdown drops backslashes before punctuation. Look at the destination as the browser will."""
    probe = _IGNORED_IN_URL.sub("", html.unescape(destination[:200]))
    scheme = _SCHEME.match(probe)
    return bool(scheme) and scheme.group(1).lower() not in URL_SCHEMES


def _neutralise_links(text: str) -> str:
    out, last = [], 0
    for match in _DESTINATION.finditer(text):
        if _unsafe_scheme(text[match.end():]):
            out.append(text[last:match.end()] + "#")  # a fragment link: goes nowhere, runs nothing
            last = match.end()
    out.append(text[last:])
    return "".join(out)


_BRACE = re.compile(r"(\\?)\{")


def _escape_rest(text: str) -> str:
    r"""Outside kept tags: no `<` may open a tag, no `{` an attribute list.

    `\{` is the readable escape; after a backslash (which would escape our backslash instead)
    the entity is used."""
    text = text.replace("<", "&lt;")
    return _BRACE.sub(lambda m: "\\&#123;" if m.group(1) else "\\{", text)


def inert_markdown(text: str) -> str:
    """Content Markdown that renders the same in any engine, minus anything that could run.

    Links are checked last: removing a tag may join the pieces of a scheme (`java<x>script:`)."""
    out, last = [], 0
    for match in re.finditer(f"{_AUTOLINK.pattern}|{_RAW_HTML.pattern}", text, re.DOTALL | re.IGNORECASE):
        out.append(_escape_rest(text[last:match.start()]))
        out.append(match.group(0) if _AUTOLINK.fullmatch(match.group(0)) else _clean_tag(match))
        last = match.end()
    out.append(_escape_rest(text[last:]))
    return _neutralise_links("".join(out))
