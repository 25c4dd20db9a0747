"""The Jinja templates of a guide: packaged ones, overridden by a project's `templates/` folder.

`Templates` is one compiled environment for one set of override files. Whoever rebuilds often
(the MkDocs plugin under `pilotguide serve`) keeps it and asks `reuse()` for the next build: it is
kept while the override files are unchanged (compiling costs more than rendering a few pages).
Nothing per guide is stored on it: records, the content and download formats go into each
render's context.

Every template mistake, in a packaged or an overridden template, becomes a located Problem
(`templates/case-study.md.j2:12: ...` in Chinese), never an internal error: a syntax error, a
variable that does not exist, and a record field its schema does not have (`record.sumary`).
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from ..content.model import Fields, Record
from ..content.schemas import label
from ..content.validate import suggest
from ..errors import ContentError, Problem
from .facts import facts, task_line, task_note
from .filters import autolink, block, cell, demote, inline, place
from .paths import handout_paths, link, url
from .topics import h

PACKAGED = "(pilotguide)/templates"  # how packaged templates are named in messages


class TemplateNameError(jinja2.UndefinedError):
    """An undefined name used by a template, with the object it was asked of (for suggestions)."""

    def __init__(self, name: str | None, obj: Any, message: str):
        self.name, self.obj = name, obj
        super().__init__(message)


class FieldUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error keeps what was asked for, so the message can suggest a field."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: type = jinja2.UndefinedError):
        super().__init__(hint, obj, name, lambda message: TemplateNameError(name, obj, message))


def environment(project_templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PackageLoader("pilotguide", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=FieldUndefined,
        autoescape=False,  # the output is Markdown; HTML is sanitised after Markdown renders
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cell=cell, inline=inline, block=block, autolink=autolink, h=h, demote=demote)
    # Helpers that are the same for every guide; per-guide values are passed to each render.
    env.globals.update(link=link, url=url, place=place, handout_paths=handout_paths, facts=facts, task_note=task_note,
                       task_line=task_line)
    return env


def _stamp(folder: Path | None) -> tuple:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.rglob("*") if p.is_file()))


class Templates:
    """Compiled templates for one override folder (or none), with located errors."""

    def __init__(self, project_templates: Path | None = None):
        self.folder = project_templates if project_templates is not None and project_templates.is_dir() else None
        self.stamp = _stamp(self.folder)
        self.env = environment(self.folder)
        self._compiled: dict[str, jinja2.Template] = {}
        self._reads: dict[tuple, bool] = {}

    @property
    def key(self) -> tuple:
        """What the compiled templates depend on: the override folder and its files' stamps."""
        return (str(self.folder), self.stamp)

    @property
    def overridden(self) -> bool:
        """Whether the project overrides any template (which may then read anything)."""
        return self.folder is not None and any(self.folder.rglob("*.j2"))

    def reuse(self, project_templates: Path | None) -> Templates:
        """This object when it is still right for `project_templates`, else a new one."""
        folder = project_templates if project_templates is not None and project_templates.is_dir() else None
        if folder == self.folder and _stamp(folder) == self.stamp:
            return self
        return Templates(project_templates)

    def get(self, name: str) -> jinja2.Template:
        if name not in self._compiled:  # get_template stats the file on every call
            try:
                self._compiled[name] = self.env.get_template(name)
            except (jinja2.TemplateError, UnicodeDecodeError) as error:
                raise ContentError([self.problem(error, name)]) from None
        return self._compiled[name]

    def render(self, name: str, **context: Any) -> str:
        template = self.get(name)
        try:
            return template.render(**context)
        except ContentError:
            raise
        except Exception as error:  # noqa: BLE001 - any template failure is reported, located
            raise ContentError([self.problem(error, name, [*context, *self.env.globals])]) from None

    def reads(self, name: str, variables: set[str]) -> bool:
        """Whether template `name` reads any of `variables` (a case page does not read `previous`:
        retitling a case, which moves it in title order, then leaves its neighbours' pages alone)."""
        key = (name, frozenset(variables))
        if key not in self._reads:
            self.get(name)  # a broken template is reported, located, before it is parsed here
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            self._reads[key] = bool(variables & jinja2.meta.find_undeclared_variables(self.env.parse(source)))
        return self._reads[key]

    def problem(self, error: Exception, name: str, variables: list[str] | None = None) -> Problem:
        """A located Chinese problem for a template error raised while loading or rendering `name`
        (`variables`: the names the template could have meant, for suggestions)."""
        if isinstance(error, UnicodeDecodeError):
            return Problem(self.shown(self._filename(name), name), 0, 0,
                           "模板文件不是 UTF-8 编码：请在编辑器中另存为 UTF-8（不要用 GBK/ANSI）。")
        if isinstance(error, jinja2.TemplateSyntaxError):
            return Problem(self.shown(error.filename, error.name or name), error.lineno or 0, 0,
                           f"模板语法错误：{error.message}。请对照 Jinja 模板语法修改这一行。")
        filename, line = _template_frame(error)
        where = self.shown(filename or self._filename(name), name)
        if isinstance(error, jinja2.TemplateNotFound):
            return Problem(where, line, 0, f"找不到模板 `{error.name}`：请检查文件名或 include/import 语句。")
        if isinstance(error, TemplateNameError):
            return Problem(where, line, 0, _name_message(error, variables or []))
        detail = str(error).rstrip("。.")
        return Problem(where, line, 0, f"模板出错（{type(error).__name__}：{detail}）。请检查模板的这一行。")

    def _filename(self, name: str) -> str | None:
        """The file a template name comes from: the override when the project has one."""
        if self.folder is not None and (self.folder / name).is_file():
            return str(self.folder / name)
        return None

    def shown(self, filename: str | None, name: str) -> str:
        """A template's path for messages: `templates/x.md.j2` for an override, else the packaged name."""
        if filename and self.folder is not None:
            try:
                path = Path(filename).resolve().relative_to(self.folder.resolve())
                return f"{self.folder.name}/{path.as_posix()}"
            except ValueError:
                pass
        if filename:
            return f"{PACKAGED}/{Path(filename).name}"
        return f"{PACKAGED}/{name}"


def _template_frame(error: BaseException) -> tuple[str | None, int]:
    """The innermost template file and line in the traceback (Jinja rewrites its frames so)."""
    found: tuple[str | None, int] = (None, 0)
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (frame.filename, frame.lineno or 0)
    return found


def _name_message(error: TemplateNameError, variables: list[str]) -> str:
    obj, name = error.obj, error.name or ""
    allowed: frozenset[str] | None = None
    if isinstance(obj, Record):
        allowed = (obj.data._allowed if isinstance(obj.data, Fields) else None)
        what = f"{label(obj.kind)}记录"
        allowed = (allowed or frozenset()) | {"title", "path", "kind", "id"}
    elif isinstance(obj, Fields):
        allowed, what = obj._allowed, f"字段 `{obj._what}`" if obj._what else "这一组字段"
    if allowed is not None:
        return (f"{what}没有名为 `{name}` 的字段{suggest(name, sorted(allowed))}。"
                f"可用的有：{', '.join(sorted(allowed))}。请改正模板中的名字。")
    if obj is jinja2.utils.missing:
        hint = suggest(name, sorted(set(variables)))
        return (f"模板变量 `{name}` 未定义{hint}。请检查拼写，"
                "或查看 ARCHITECTURE.md 中“Overriding templates”一节列出的模板变量。")
    return f"模板读取了不存在的属性或键 `{name}`。请检查拼写。"
