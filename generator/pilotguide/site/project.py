"""The project: found the way git finds its root, refused when it is not a pilotguide guide, and
its `mkdocs.yml` checked like content (located, in Chinese) before MkDocs ever reads it.

Every command goes through `find_config` and `load_project`, so `check`, `build`, `serve`, `new`,
`generate` and `schema` agree on where the project is, whichever folder they are run from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

from ..content import schemas
from ..content.documents import Document, load_file
from ..content.gather import load_content
from ..content.guidefile import GUIDE_FILE
from ..content.validate import suggest
from ..errors import ContentError, Problem, Problems
from ..pages.home import HOME_PAGE
from ..pages.paths import SiteAddress
from ..pages.render import PAGES, RECORD_EXTRAS, page_of
from . import engine
from .docs_checks import check_docs, missing_docs
from .plugin import PilotguideConfig
from .recipe import GuideOptions, make_guide

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
PLUGIN = "pilotguide"
FINDING_PAGES = ("topics/index.md", "statistics.md", "changes.md")
TYPE_WORDS = {bool: "true 或 false", int: "整数", str: "文字", float: "数字", list: "列表", dict: "映射"}


class ProjectError(Exception):
    """There is no project here (no mkdocs.yml); the message says what to do."""


@dataclass
class Project:
    config: Path  # absolute path of mkdocs.yml
    doc: Document | None  # mkdocs.yml with positions (None when it could not be read)
    problems: Problems = field(default_factory=Problems)

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def data(self) -> dict:
        return self.doc.data if self.doc is not None and isinstance(self.doc.data, dict) else {}

    def options(self) -> dict:
        """The pilotguide plugin's options as written (defaults filled in)."""
        written = _plugin_entry(self.data.get("plugins"))
        given = written[1] if written and isinstance(written[1], dict) else {}
        return {name: given.get(name, option.default) for name, option in engine.config_schema(PilotguideConfig)}


def find_config(given: Path | None, start: Path | None = None) -> Path:
    """mkdocs.yml: the one given, else the nearest in the current folder or a parent."""
    if given is not None:
        if not given.is_file():
            raise ProjectError(f"找不到配置文件 {given}：请检查文件名，"
                               "或去掉 --config 让程序在当前文件夹及上级文件夹中查找 mkdocs.yml。")
        return given.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    raise ProjectError(f"在 {here} 及其上级文件夹中都找不到 mkdocs.yml：请先进入指南项目的文件夹"
                       "（有 mkdocs.yml、policies/、steps/ 等的那个文件夹）再运行，或用 --config 指定 mkdocs.yml。"
                       "还没有指南时，先用 init 命令新建一份（例如 `init 我的指南`）。")


def load_project(config: Path) -> Project:
    """Read and check mkdocs.yml; problems are collected on the project, not raised."""
    project = Project(config, None)
    project.doc = load_file(config, config.name, project.problems, foreign_tags=True)
    if project.doc is not None:
        check_config(project.doc, project.problems)
    return project


def find_project(given: Path | None) -> Project:
    """The project of this run; raises ProjectError (none here) or ContentError (mkdocs.yml broken)."""
    project = load_project(find_config(given))
    project.problems.raise_if_any()
    return project


def check_config(doc: Document, problems: Problems) -> None:
    """mkdocs.yml: a mapping, known top-level names, the pilotguide plugin and its options."""
    if not isinstance(doc.data, dict):
        problems.add(doc.path, 1, 1, "mkdocs.yml 应为“名称: 值”组成的映射（如 `site_name: 指南名称`）。")
        return
    known = [name for name, _ in engine.config_schema(MkDocsConfig) if name != "config_file_path"] + ["INHERIT"]
    for key in doc.data:
        if key not in known:
            line, col = doc.where((key,), key=True)
            problems.add(doc.path, line, col, f"MkDocs 不认识配置项 `{key}`{suggest(key, known)}，"
                         "它不会起作用：请检查拼写和缩进。", warning=True)
    if "INHERIT" not in doc.data:  # an inherited config may list the plugin and theme in its parent file
        _check_plugins(doc, problems)
        _check_theme(doc, problems)
        _check_search(doc, problems)
    _check_directory_urls(doc, problems)


THEME = "material"
THEME_LINES = "theme:\n  name: material\n  language: zh\n  font: false"


def _check_theme(doc: Document, problems: Problems) -> None:
    """pilotguide's pages, styles and search need Material for MkDocs: no theme (MkDocs' own
    plain theme), another theme or a misspelt name is an error with the lines to write."""
    theme = doc.data.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if name == THEME:
        language = theme.get("language") if isinstance(theme, dict) else None
        if language != "zh":
            at = ("theme", "language") if language is not None else ("theme",)
            line, col = doc.where(at, key=language is None)
            problems.add(doc.path, line, col, "主题的界面语言不是中文（language: zh）：搜索框、导航等文字会显示成英文。"
                         f"请写成\n{THEME_LINES}", warning=True)
        return
    if theme is None:
        problems.add(doc.path, 1, 1, "没有设置主题（theme）：pilotguide 生成的页面、样式和搜索需要 Material for MkDocs"
                     f" 主题。请在 mkdocs.yml 中加上\n{THEME_LINES}")
        return
    at = ("theme", "name") if isinstance(theme, dict) and "name" in theme else ("theme",)
    line, col = doc.where(at)
    hint = suggest(str(name), [THEME], 0.6)
    what = f"主题 `{name}`{hint}" if name is not None else "主题没有名称（name）"
    problems.add(doc.path, line, col, f"{what}不可用：pilotguide 生成的页面、样式和搜索需要 Material for MkDocs"
                 f" 主题（名称是 {THEME}）。请写成\n{THEME_LINES}")


def _check_search(doc: Document, problems: Problems) -> None:
    """Without Material's `search` plugin the guide has no search box (Pagefind brings its own)."""
    plugins = doc.data.get("plugins")
    if plugins is None or "search" in _plugin_names(plugins):
        return  # MkDocs' default plugin list is [search]; our plugin check reports the missing pilotguide
    entry = _plugin_entry(plugins)
    options = entry[1] if entry and isinstance(entry[1], dict) else {}
    if options.get("search_backend") in ("pagefind", "auto"):
        return
    line, col = doc.where(("plugins",), key=True)
    problems.add(doc.path, line, col, "没有启用 search 插件：指南将没有搜索框，读者只能靠导航找内容。"
                 "如果不是有意去掉，请在 plugins 下加上一行 `  - search`（写在 `- pilotguide` 前面）。", warning=True)


def _check_directory_urls(doc: Document, problems: Problems) -> None:
    """MkDocs' default (`true`) makes links end in a folder: opened from disk, they show folder listings."""
    value = doc.data.get("use_directory_urls", True)
    if value is False:
        return
    line, col = doc.where(("use_directory_urls",)) if "use_directory_urls" in doc.data else (1, 1)
    problems.add(doc.path, line, col, "use_directory_urls 不是 false：站点从磁盘直接打开（双击 site/index.html，"
                 "或解压后打开）时，点链接会打开文件夹列表而不是页面。请写上 `use_directory_urls: false`。",
                 warning=True)


def _plugin_entry(plugins: Any) -> tuple[Any, Any] | None:
    """(where, options) of the pilotguide entry in `plugins` (list or mapping form), else None."""
    if isinstance(plugins, dict):
        return ((PLUGIN,), plugins[PLUGIN]) if PLUGIN in plugins else None
    for i, entry in enumerate(plugins if isinstance(plugins, list) else []):
        if entry == PLUGIN:
            return (i,), None
        if isinstance(entry, dict) and PLUGIN in entry:
            return (i, PLUGIN), entry[PLUGIN]
    return None


def _plugin_names(plugins: Any) -> list[str]:
    if isinstance(plugins, dict):
        return [str(k) for k in plugins]
    entries = plugins if isinstance(plugins, list) else []
    return [str(e if isinstance(e, str) else next(iter(e), "")) for e in entries if isinstance(e, (str, dict)) and e]


def _check_plugins(doc: Document, problems: Problems) -> None:
    plugins = doc.data.get("plugins")
    entry = _plugin_entry(plugins)
    if entry is None:
        line, col = doc.where(("plugins",), key=True) if "plugins" in doc.data else (1, 1)
        close = [n for n in _plugin_names(plugins) if suggest(n, [PLUGIN], 0.6)]
        hint = f"（`{close[0]}` 是否应为 `{PLUGIN}`？）" if close else ""
        problems.add(doc.path, line, col, f"没有启用 pilotguide 插件{hint}："
                     "没有它，站点里不会有任何政策、步骤和案例页面。"
                     "请在 mkdocs.yml 中写上\nplugins:\n  - search\n  - pilotguide")
        return
    at, options = entry
    if len(at) == 2 and isinstance(plugins, list) and len(plugins[at[0]]) > 1:
        _misindented_options(doc, at[0], problems)
    if options is None:
        return
    if not isinstance(options, dict):
        line, col = doc.where(("plugins", *at))
        problems.add(doc.path, line, col, "pilotguide 插件的选项应写成“选项: 值”，每个一行，比插件名多缩进两格。")
        return
    _check_options(doc, ("plugins", *at), options, problems)


def _misindented_options(doc: Document, index: int, problems: Problems) -> None:
    """`- pilotguide:` followed by options at the same indent: YAML makes them siblings of the name."""
    line, col = doc.where(("plugins", index, PLUGIN), key=True)
    for key in doc.data["plugins"][index]:
        if key != PLUGIN:
            kline, kcol = doc.where(("plugins", index, key), key=True)
            problems.add(doc.path, kline, kcol, f"插件选项 `{key}` 与插件名 `{PLUGIN}`（第 {line} 行）缩进相同，"
                         "被当成了插件名的同级："
                         f"请把它缩进到第 {col + 2} 列（比 `{PLUGIN}` 多两个空格）。")


def _check_options(doc: Document, at: tuple, options: dict, problems: Problems) -> None:
    schema = dict(engine.config_schema(PilotguideConfig))
    for key, value in options.items():
        option = schema.get(key)
        if option is None:
            line, col = doc.where((*at, key), key=True)
            problems.add(doc.path, line, col, f"pilotguide 插件没有选项 `{key}`{suggest(key, list(schema))}；"
                         f"可用选项：{', '.join(schema)}。")
            continue
        message = _option_problem(key, option, value)
        if message:
            line, col = doc.where((*at, key))
            problems.add(doc.path, line, col, message)


def _option_problem(key: str, option: c.BaseConfigOption, value: Any) -> str | None:
    try:
        option.validate(value)
    except ValidationError:
        if isinstance(option, c.Choice):
            choices = list(option.choices)
            hint = suggest(value, choices)
            return f"pilotguide 选项 `{key}` 的值 `{value}` 不可用{hint}；可选：{'、'.join(choices)}。"
        want = TYPE_WORDS.get(engine.option_type(option), "合适的值")
        return f"pilotguide 选项 `{key}` 应为{want}，实际是 `{value}`。"
    return None


def load_checked(project: Project):
    """mkdocs.yml and the content together: the checked Content, or ContentError with every
    problem of both (mkdocs.yml, records, nav entries that point at no page)."""
    problems = project.problems
    try:
        content = load_content(project.root)
    except ContentError as error:
        raise ContentError(problems.items + error.problems) from None
    if not any(content.records.values()):
        folders = "、".join(f"{k.folder}/" for k in schemas.kinds().values())
        if content.settings is None:  # no guide.yaml: most likely run in the wrong folder
            problems.add(project.config.name, 0, 0, f"项目中没有任何记录（{folders} 都是空的或不存在）："
                         "生成的指南将没有内容。请确认是在指南项目的文件夹中运行，或先用 new 命令新建记录。")
        else:  # a guide just made by `init`: it builds, with a home page and empty sections
            problems.add(GUIDE_FILE, 0, 0, f"这份指南还没有任何记录（{folders} 都是空的）：站点只有首页和空的栏目。"
                         "用 new 命令新建第一条记录（例如 `new step first-step`），再运行 check。",
                         warning=True)
    check_docs(project, content, _cheap_pages(content), problems)
    _check_nav(project, content, problems)
    problems.raise_if_any()
    content.warnings = [p for p in problems.items if p.warning] + list(content.warnings)
    return content


def _nav_entries(nav: Any, at: tuple = ("nav",)):
    """(path into mkdocs.yml, page path) for every page a nav lists."""
    if isinstance(nav, list):
        for i, item in enumerate(nav):
            yield from _nav_entries(item, at + (i,))
    elif isinstance(nav, dict):
        for title, item in nav.items():
            yield from _nav_entries(item, at + (title,))
    elif isinstance(nav, str) and "://" not in nav and not nav.startswith(("/", "#", "mailto:")):
        yield at, nav


def _check_nav(project: Project, content, problems: Problems) -> None:
    docs = project.root / str(project.data.get("docs_dir", "docs"))
    entries = [(at, page) for at, page in _nav_entries(project.data.get("nav")) if not (docs / page).is_file()]
    known = _cheap_pages(content)
    entries = [(at, page) for at, page in entries if page not in known]
    if not entries:
        return
    options = GuideOptions.of(project.root, project.options(), SiteAddress("", None, False))
    pages = make_guide(content, options, with_downloads=False).pages
    written = [p.relative_to(docs).as_posix() for p in docs.rglob("*.md")] if docs.is_dir() else []
    names = sorted({*pages, *written})
    for at, page in entries:
        if page not in pages:
            line, col = project.doc.where(at)
            hint = suggest(page, names, 0.6)
            problems.add(project.config.name, line, col, f"导航（nav）中的 `{page}` 找不到对应的页面{hint}："
                         f"它既不是 {docs.name}/ 中的文件，也不是生成的页面。请改正路径或删除这一项。")


def _cheap_pages(content) -> set[str]:
    """Generated pages known without rendering (indexes, record pages, finding pages)."""
    known = {index for index, _ in PAGES.values()} | set(FINDING_PAGES) | {HOME_PAGE}  # docs/ or guide.yaml's
    for records in content.records.values():
        known.update(page_of(r).partition("#")[0] for r in records)
    for record in content.all("course"):
        known.update(pattern.format(id=record.id) for _, pattern, _ in RECORD_EXTRAS["course"])
    return known


def zip_warning(project: Project) -> Problem | None:
    """`--zip` is for a web server: without site_url its 404 page cannot find the styles."""
    if project.data.get("site_url"):
        return None
    return Problem(project.config.name, 0, 0, "没有设置 site_url：压缩包放到网页服务器上后，"
                   "“页面不存在”提示页会找不到样式。请在 mkdocs.yml 中写上指南的完整地址，"
                   "如 `site_url: http://内网服务器/guide/`，再重新生成。", warning=True)


def make_docs(project: Project) -> str | None:
    """Make the default docs/ folder when it is missing (MkDocs needs it; a guide need not have any
    hand-written page): its name, for the command to announce, or None when nothing was made."""
    if not missing_docs(project):
        return None
    (project.root / "docs").mkdir()
    return "docs/"
