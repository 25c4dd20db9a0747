"""Chinese search that finds what cadres type, on a site that needs nothing from outside.

Material for MkDocs cuts Chinese with jieba's accurate mode and joins the words with U+200B, so a
part of a longer word (纠纷 in 邻里纠纷) is never found, and its worker segments queries its own
way. Here the build side only prepares data; the browser side (assets/search/worker.js) cuts
documents and queries with one and the same function:

- `lexicon`: the words the browser cuts with: what jieba finds in the indexed text (accurate
  mode, with a user dictionary of the guide's glossary terms, aliases, record titles and place
  names), plus the dictionary words inside each of them, so compounds can be cut into parts.
- `rewrite_index`: Material's search_index.json again, as UTF-8 (Material escapes every Chinese
  character as \\uXXXX), with plain titles and text (no U+200B) and the lexicon; plus
  search_index.js, which pages opened from file:// load instead of fetching the JSON.
- `OfflineSearch`: the MkDocs side: the worker and the vendored iframe-worker shim (which runs
  the worker from file://) are written into the site, so no page asks another host for anything.
"""
