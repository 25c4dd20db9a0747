"""`pilotguide init`: a new guide that `check`, `build` and `serve` accept at once.

Writes mkdocs.yml (everything the plugin needs, commented in Chinese), guide.yaml (the guide's own
settings: the home page is made from them), one folder per record kind with a short 说明.md (not a
record: only .yaml files are read), docs/ for hand-written pages, and .gitignore. Nothing of
another guide is copied. Every text is made and checked before the first file is written; a file
that exists is never overwritten (with `force`, it is left as it is and named in the report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content import schemas
from ..content.guidefile import GUIDE_FILE, MODEL
from ..errors import SetupError

NOTE = "说明.md"  # in each content folder: what goes there (only .yaml files are records)
# Left alone when deciding whether a folder is empty: version control, a Python environment made
# there first (as 发布指南 tells staff to), and the files Windows and macOS drop into folders.
IGNORED = {".git", ".venv", "venv", ".DS_Store", "Thumbs.db", "desktop.ini", ".idea", ".vscode"}
NONE = "none"
FIELD_LIMITS = {"name": ("指南名称", 60), "office": ("编写单位", 60), "region": ("地区", 60)}
# Where pilotguide's own words for each kind's folder end; the folder comes from the kind's schema.
KIND_NOTES = {
    "policy": "政策文件：每个政策一个 YAML 文件，写明发布机关、文号、发布日期和效力状态（来源没写的不要估填）。",
    "step": "培育步骤：每一步一个 YAML 文件，写明所属阶段、序号、目标、任务、检查清单和常见误区。",
    "case-study": "试点案例：每个案例一个 YAML 文件，写明地点、城乡类型、开始时间、做法和成效。",
    "glossary": "术语：每个术语一个 YAML 文件，写明术语、解释和别称。正文中第一次出现的术语会自动链接到术语表。",
    "course": "培训课程：每门课程一个 YAML 文件，由若干节课组成，每节课引用上面的政策、步骤和案例。",
}


@dataclass
class GuideAnswers:
    """What `init` asks (or takes as flags)."""

    name: str
    office: str = ""
    region: str = ""
    site_url: str = ""
    base: str = MODEL  # "model", "none", or a folder or .zip path relative to the new guide


@dataclass
class InitReport:
    folder: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # existing files left as they were (`force`)


def blocking_entries(folder: Path) -> list[str]:
    """What makes `folder` not empty for `init` (names, sorted); [] when it is missing or empty."""
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [folder.name]
    return sorted(p.name for p in folder.iterdir() if p.name not in IGNORED)


def check_answers(answers: GuideAnswers) -> list[str]:
    """Chinese problems with the answers (empty when they can be written)."""
    problems = []
    for key, (label, limit) in FIELD_LIMITS.items():
        value = getattr(answers, key)
        if key == "name" and not value.strip():
            problems.append(f"{label}不能为空：请写上指南的名称，如 某某县城乡社区社会组织培育指南。")
        elif len(value.strip()) > limit:
            problems.append(f"{label}最多 {limit} 个字，现在有 {len(value.strip())} 个字：请写得短一些。")
        elif "\n" in value or "\r" in value:
            problems.append(f"{label}只能写一行。")
    url = answers.site_url.strip()
    if url and not re.match(r"https?://[^\s/]+", url):
        problems.append(f"站点地址 `{url}` 不是网址：请写完整的地址，如 http://内网服务器/guide/，或者不填。")
    base = answers.base.strip()
    if not base:
        problems.append(f"基础指南不能为空：写 {MODEL}（随软件提供的范例指南）、{NONE}（不用基础指南），"
                        "或另一份指南的文件夹或 .zip 文件的路径。")
    return problems


def init_guide(folder: Path, answers: GuideAnswers, force: bool = False) -> InitReport:
    """Write a new guide into `folder` (made if missing). Raises SetupError, before writing
    anything, when the answers are unusable or the folder is not empty (unless `force`)."""
    problems = check_answers(answers)
    if problems:
        raise SetupError("\n".join(problems))
    if folder.exists() and not folder.is_dir():
        raise SetupError(f"{folder} 是一个文件，不是文件夹：请换一个文件夹名。")
    found = blocking_entries(folder)
    if found and not force:
        shown = "、".join(found[:5]) + ("等" if len(found) > 5 else "")
        raise SetupError(f"文件夹 {folder} 不是空的（有 {shown}）：为免弄乱已有文件，init 只在空文件夹中新建指南。"
                         "请换一个新的文件夹名；如果确实要在这里新建，加 --force（已有的文件一个也不会改动或删除）。")
    files = guide_files(answers)
    report = InitReport(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            target = folder / path
            if target.exists():
                report.kept.append(path)
                continue
            if text is None:  # a folder
                target.mkdir(parents=True)
                report.written.append(path)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            report.written.append(path)
    except OSError as error:
        raise SetupError(f"无法在 {folder} 中写入文件（{error.strerror or error}）：请检查文件夹权限和磁盘空间。"
                         + (f"已写入：{'、'.join(report.written)}。" if report.written else "")) from None
    return report


def guide_files(answers: GuideAnswers) -> dict[str, str | None]:
    """{relative path: text} of a new guide (None: a folder to make), in the order they are written."""
    files: dict[str, str | None] = {GUIDE_FILE: guide_yaml(answers), "mkdocs.yml": mkdocs_yml(answers)}
    for kind in schemas.kinds().values():
        files[f"{kind.folder}/{NOTE}"] = folder_note(kind)
    files["docs/"] = None
    files[".gitignore"] = GITIGNORE
    return files


def _scalar(value: str) -> str:
    """A YAML scalar that reads back as `value` (quoted only where YAML needs it)."""
    return yaml.safe_dump(value.strip(), allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


def guide_yaml(answers: GuideAnswers) -> str:
    lines = ["# 这份指南自己的设置。首页的标题和介绍按这里生成（docs/ 中没有 index.md 时）；",
             "# 改完后运行 check 检查。各项的说明见 pilotguide 的 guide.schema.json。",
             "",
             "# 指南名称：显示在首页标题上，请与 mkdocs.yml 的 site_name 保持一致。",
             f"name: {_scalar(answers.name)}"]
    for key, label, example in (("office", "编写单位", "某某县民政局"), ("region", "适用地区", "吉林省某某县")):
        value = getattr(answers, key).strip()
        lines.append(f"# {label}（可不填）。")
        lines.append(f"{key}: {_scalar(value)}" if value else f"# {key}: {example}")
    lines += ["# 首页导语（可不填，可写多段 Markdown）；不写时首页按名称、编写单位和地区自动生成一句介绍。",
              "# intro: |",
              "#   本指南介绍本县培育城乡社区社会组织的政策、步骤和案例。",
              "# 基础指南：model 表示沿用随 pilotguide 提供的范例指南（黑龙江试点），",
              "# 本地只需补充、修改或隐藏其中的记录；",
              "# 也可以写另一份指南的文件夹或 .zip 文件的路径（相对于本文件）。不写表示不用基础指南。"]
    base = answers.base.strip()
    lines.append(f"# base: {MODEL}" if base == NONE else f"base: {_scalar(base)}")
    return "\n".join(lines) + "\n"


def mkdocs_yml(answers: GuideAnswers) -> str:
    url = answers.site_url.strip()
    site_url = (f"site_url: {_scalar(url)}   # 指南发布后的完整地址（打印页上的二维码、压缩包的“页面不存在”页会用到）"
                if url else "# site_url: http://内网服务器/guide/   # 发布后的完整地址（二维码、“页面不存在”页会用到）")
    return f"""# 这份指南的站点设置（MkDocs）。内容放在旁边的 policies/、steps/ 等文件夹里，
# 见 guide.yaml 和各文件夹的说明.md。
# 改完后运行 check 检查；不确定的地方保持原样即可。

site_name: {_scalar(answers.name)}   # 页眉上的名称，请与 guide.yaml 的 name 一致
{site_url}
use_directory_urls: false   # 必须为 false：链接以 .html 结尾，站点文件夹直接从磁盘打开（双击 index.html）也能用
docs_dir: docs              # 手写页面放在 docs/；没有 docs/index.md 时，首页按 guide.yaml 生成
site_dir: site              # build 生成的站点放在 site/

theme:
  name: material       # pilotguide 需要 Material for MkDocs 主题
  language: zh         # 界面文字用中文
  font: false          # 不用网络字体：站点要能在不通外网的内网上使用
  features:
    - navigation.tabs
    - navigation.top
    - navigation.indexes
    - search.highlight
    - content.tooltips   # 术语带解释提示
  palette:
    primary: custom      # 配色由 pilotguide 的样式表提供（对比度符合无障碍要求）
    accent: custom

plugins:
  - search             # 站内搜索（去掉它，指南就没有搜索框）
  - pilotguide         # 把 YAML 内容生成政策、步骤、案例、课程等页面
  #   book: true        # 改成 “- pilotguide:” 并去掉这一行的 #，可另外生成整本指南的 PDF 和 Word

markdown_extensions:   # 生成的页面要用到的 Markdown 扩展
  - tables
  - attr_list
  - admonition
  - md_in_html         # 案例表格里的链接
  - pymdownx.tasklist:
      custom_checkbox: true   # 可以打勾的检查清单

nav:                   # 页面顶部的栏目；前面是显示的名称，后面是页面文件
  - 首页: index.md
  - 政策: policies/index.md
  - 培育步骤: steps/index.md
  - 试点案例: case-studies/index.md
  - 找案例: topics/index.md
  - 统计: statistics.md
  - 培训课程: courses/index.md
  - 术语表: glossary.md
  - 更新记录: changes.md
"""


def folder_note(kind: schemas.Kind) -> str:
    return (f"# {kind.folder}/：{kind.label}\n\n"
            f"{KIND_NOTES.get(kind.name, kind.label)}\n\n"
            "- 文件名就是记录的标识（id），只用小写字母、数字和连字符，以 `.yaml` 结尾，"
            f"如 `example-{kind.name}.yaml`。\n"
            f"- 新建一条：在指南文件夹中运行 `pilotguide new {kind.name} 标识`"
            f"（或 `python -m pilotguide new {kind.name} 标识`），"
            "再把文件中所有【待填写】换成真实内容。\n"
            "- 只写来源里有的事实；来源没有说明的字段宁可不填。\n"
            "- 本文件只是说明，不会被当作记录读取，也不会出现在站点上；可以删除。\n")


GITIGNORE = """# pilotguide 生成的文件，不需要提交
site/
.pilotguide-cache/
*-site-*.zip
.venv/
__pycache__/
"""
