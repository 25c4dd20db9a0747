"""The `pilotguide` command: a thin layer that turns library errors into friendly output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .cli_text import ChineseGroup, Count, FilePath, LabelledChoice, invocation
from .content import schemas
from .content.editions import MANIFEST, record_edition
from .content.gather import load_vocabularies
from .content.scaffold import PACKAGED_VOCABULARIES, VOCABULARIES, ScaffoldError, new_record
from .courses.formats import switches
from .errors import ContentError, PackError, Problems, SetupError
from .site import engine  # noqa: F401 - chooses MkDocs or ProperDocs before anything imports either

CONFIG_HELP = ("指南项目的 mkdocs.yml（默认：在当前文件夹及其上级文件夹中查找）。"
               "内容文件夹（policies/、steps/ 等）在它旁边。")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _project(config: Path | None, all_problems: bool = False):
    """The project of this run (site/project.py): found or refused with a Chinese message.

    `all_problems`: mkdocs.yml's problems are reported later, with the content's (check, build)."""
    from .site.project import ProjectError, find_config, find_project, load_project

    try:
        return load_project(find_config(config)) if all_problems else find_project(config)
    except ProjectError as error:
        _fail(str(error))
    except ContentError as error:
        _fail(error.format())


def _root(config: Path | None) -> Path:
    return _project(config).root


def _load(project, strict: bool = False):
    """Checked content (mkdocs.yml too); warnings are printed, and with `strict` they fail the command."""
    from .site.project import load_checked

    try:
        content = load_checked(project)
    except ContentError as error:
        _fail(error.format())
    for warning in content.warnings:
        click.echo(str(warning), err=True)
    if strict and content.warnings:
        _fail(f"共有 {len(content.warnings)} 个警告；使用了 --strict，警告按错误处理。")
    return content


config_option = click.option("--config", "-f", "config", type=FilePath(path_type=Path, dir_okay=False),
                             default=None, metavar="文件", help=CONFIG_HELP)
# `--jobs` chose a number of worker processes until the build ran in one process (benchmarks/pools.py
# measured no gain); still accepted, hidden, so that an older script keeps working.
jobs_option = click.option("--jobs", "-j", type=Count(0), default=0, hidden=True, expose_value=False,
                           help="不再使用：生成始终在一个进程中进行，此选项会被忽略。")


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="pilotguide", message="%(prog)s %(version)s",
                      help="显示版本号并退出。")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈（供开发者排查；放在命令前后均可）。")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """pilotguide：把政策、培育步骤、试点案例和课程的 YAML 文件做成可搜索、可打印的静态指南。

    在指南项目的文件夹（或其子文件夹）中运行；每个命令加 --help 可查看说明。"""
    ctx.obj = {"debug": debug}


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="把警告（如超过复核期限的页面）也当作错误。")
@jobs_option
def check(config: Path | None, strict: bool) -> None:
    """检查 mkdocs.yml 和全部内容（YAML 语法、字段、引用、导航、复核期限）。没有问题时退出码为 0，否则为 1。"""
    content = _load(_project(config, all_problems=True), strict)
    counts = "，".join(f"{k.label} {len(content.all(k.name))} 条" for k in schemas.kinds().values())
    click.echo(f"内容检查通过：{counts}。")


@main.command()
@config_option
@click.option("--site-dir", "-d", type=FilePath(path_type=Path, file_okay=False), default=None,
              help="输出目录（默认：mkdocs.yml 中的 site_dir，通常是 site/）。")
@click.option("--strict", is_flag=True, help="把 MkDocs 的警告（如失效链接）当作错误。")
@click.option("--zip", "make_zip", is_flag=True, help="另外生成带日期的站点压缩包，便于交给内网服务器。")
@click.option("--verbose", "-v", is_flag=True, help="显示 MkDocs 的详细日志。")
@jobs_option
@click.option("--record-edition", is_flag=True,
              help=f"构建成功后把本版记入 {MANIFEST}（发布时使用，之后请提交该文件）。")
@click.pass_context
def build(ctx: click.Context, config: Path | None, site_dir: Path | None, strict: bool, make_zip: bool,
          verbose: bool, record_edition: bool) -> None:
    """检查 mkdocs.yml 和全部内容，然后把站点构建到 site/（失败时保留原来的 site/ 不变）。"""
    from mkdocs.exceptions import Abort, MkDocsException

    from .site.build import build_site, zip_site
    from .site.project import zip_warning
    from .site.search.index import index_report

    project = _project(config, all_problems=True)
    content = _load(project)  # mkdocs.yml and content: every problem, located, before MkDocs runs
    _make_docs(project)
    if make_zip and (warning := zip_warning(project)) is not None:
        click.echo(str(warning), err=True)
    try:
        site = build_site(project.config, site_dir, strict=strict, verbose=verbose, content=content,
                          configured_site_dir=str(project.data.get("site_dir") or "site"))
    except (MkDocsException, OSError) as error:
        if ctx.obj["debug"]:
            raise
        # MkDocs has already logged the reason above; its Abort text ("Aborted with a BuildError!") adds nothing.
        reason = "原因见上方的错误信息" if isinstance(error, Abort) else str(error)
        _fail(f"构建失败（原有的站点目录保持不变）：{reason}。")
    click.echo(f"站点已生成：{site}（本版 {content.edition.name}）")
    report = index_report(site)
    if report:
        click.echo(str(report))
    _edition(content, record_edition)
    if make_zip:
        archive = zip_site(site, site.parent, today=content.today)
        click.echo(f"压缩包已生成：{archive}")


def _make_docs(project) -> None:
    from .site.project import make_docs

    try:
        made = make_docs(project)
    except OSError as error:
        _fail(f"mkdocs.yml 旁没有 docs/ 文件夹，也无法新建它（{error.strerror or error}）："
              "请手动新建一个空的 docs 文件夹。")
    if made:
        click.echo(f"已新建空文件夹 {made}：手写页面放在这里；其中没有 index.md 时，首页按 guide.yaml 生成。", err=True)


def _edition(content, record: bool) -> None:
    """Record the edition only now, after the new site is in place: a failed build changes nothing."""
    if record:
        try:
            added = record_edition(content)
        except OSError as error:
            _fail(f"站点已生成，但无法写入 {MANIFEST}：{error}。修复后重新运行即可记入本版。")
        if added:
            click.echo(f"已把本版记入 {MANIFEST}：请把它和内容一起提交。")
        else:
            click.echo(f"本版已在 {MANIFEST} 中，无需再次记入。")
    elif (content.root / MANIFEST).is_file() and not content.edition.recorded:
        click.echo(f"提示：内容有变化，本版尚未记入 {MANIFEST}；发布时请用 --record-edition。")


@main.command(name="accept-base")
@config_option
def accept_base(config: Path | None) -> None:
    """接受基础指南的当前版本：核对过 check 列出的基础指南变化后运行，记入 base-edition.json（请提交该文件）。"""
    from .content.layers import BASE_EDITION, accept

    from .site.project import load_checked

    try:  # warnings are not printed: the one they would be about is what this command settles
        content = load_checked(_project(config, all_problems=True))
    except ContentError as error:
        _fail(error.format())
    base = content.base
    if base is None:
        _fail("guide.yaml: 这份指南没有基础指南（guide.yaml 里没有 base），无需接受基础指南的版本。")
    up = base.upstream
    try:
        accept(content, content.today.isoformat())
    except OSError as error:
        _fail(f"无法写入 {BASE_EDITION}：{error}。原有的文件保持不变。")
    if up is not None and up.accepted is not None and up.any:
        what = f"新增 {len(up.added)} 条、修改 {len(up.changed)} 条、删除 {len(up.removed)} 条"
        click.echo(f"已接受基础指南《{base.name}》的新版本（{what}），记入 {BASE_EDITION}：请把它和内容一起提交。")
    elif up is not None and up.accepted is not None:
        click.echo(f"基础指南《{base.name}》没有变化，{BASE_EDITION} 已是当前版本。")
    else:
        click.echo(f"已记入基础指南《{base.name}》的当前版本（{BASE_EDITION}）：请把它和内容一起提交。"
                   "以后基础指南有变化时，check 会逐条列出。")


@main.command()
@config_option
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:端口",
              help="预览地址；端口被占用时自动改用下一个空闲端口。")
@click.option("--full-rebuild", is_flag=True,
              help="每次修改都重新生成全部页面（较慢；默认只重新生成受影响的页面）。")
@click.option("--poll", is_flag=True,
              help="每 0.5 秒检查一次文件有无修改：项目在网络盘或虚拟机共享文件夹上、修改后页面不刷新时使用。")
def serve(config: Path | None, dev_addr: str, full_rebuild: bool, poll: bool) -> None:
    """本地预览：修改 YAML、模板或 docs/ 后页面自动刷新；内容有错误时浏览器里直接显示错误清单。"""
    from mkdocs.exceptions import MkDocsException

    from .site.preview import tempdirs
    from .site.preview.server import AddressError, pick_address, preview, preview_url

    project = _project(config)
    _make_docs(project)
    try:
        host, port, moved = pick_address(dev_addr)
    except AddressError as error:
        _fail(str(error))
    if moved:
        taken = dev_addr.rpartition(":")[2]
        click.echo(f"端口 {taken} 已被占用（可能已有一个预览在运行），改用端口 {port}。", err=True)
    if stale := tempdirs.remove_stale():
        click.echo(f"已删除之前被强行结束的预览留下的 {len(stale)} 个临时文件夹。", err=True)
    if not full_rebuild:
        click.echo("预览只重新生成受修改影响的页面；如导航或主题有变化，请重启预览或加 --full-rebuild。", err=True)
    address = preview_url(host, port, project.data.get("site_url"))
    click.echo(f"预览地址：{address} （修改内容后页面自动刷新；按 Ctrl+C 停止）", err=True)
    try:
        preview(project.config, host, port, full_rebuild, poll)
    except MkDocsException as error:
        _fail(f"预览未能启动：{error}")
    click.echo("预览已停止。", err=True)


@main.command()
@config_option
@click.option("--out", "out", type=FilePath(path_type=Path, file_okay=False), required=True,
              help="输出目录：写入手写页面（docs/）和生成的 Markdown 页面。")
@click.option("--downloads/--no-downloads", default=True, show_default="生成",
              help="是否同时生成下载文件（"
              + "；".join(f"{f.option}：{f.description}" for f in switches().values()) + "）。")
def generate(config: Path | None, out: Path, downloads: bool) -> None:
    """把生成的 Markdown 连同 docs/ 写到磁盘，供其他静态站点引擎使用。"""
    from .site.build import generate as generate_files

    project = _project(config, all_problems=True)
    content = _load(project)
    try:
        pages, files, notice = generate_files(project.config, content, out, downloads, project=project)
    except PackError as error:
        _fail(f"{error}\n（也可以加 --no-downloads，只写 Markdown。）")
    except ContentError as error:
        _fail(error.format())
    except SetupError as error:
        _fail(str(error))
    if notice:
        click.echo(f"警告：{notice}", err=True)
    extra = f"和 {files} 个下载文件" if files else ""
    click.echo(f"已写入 {pages} 个生成页面{extra}到 {out}。")


@main.command()
@click.argument("folder", type=FilePath(path_type=Path), default=".", metavar="文件夹")
@click.option("--name", default=None, help="指南名称，如 某某县城乡社区社会组织培育指南（首页标题和页眉）。")
@click.option("--office", default=None, help="编写单位，如 某某县民政局（可不填）。")
@click.option("--region", default=None, help="适用地区，如 吉林省某某县（可不填）。")
@click.option("--site-url", default=None, help="指南发布后的完整地址，如 http://内网服务器/guide/（可不填）。")
@click.option("--base", default=None, metavar="基础指南",
              help="model：沿用随软件提供的范例指南，本地只补充、修改或隐藏记录（默认）；none：不用基础指南；"
              "也可以写另一份指南的文件夹或 .zip 文件的路径。")
@click.option("--yes", "-y", is_flag=True, help="不逐项询问：没有给出的项目用默认值（--name 必须给出）。")
@click.option("--force", is_flag=True, help="文件夹不是空的也新建；已有的文件一个也不改动、不删除。")
def init(folder: Path, name: str | None, office: str | None, region: str | None, site_url: str | None,
         base: str | None, yes: bool, force: bool) -> None:
    """新建一份指南：在文件夹（默认：当前文件夹；不存在时新建）中写入 mkdocs.yml、guide.yaml、
    各内容文件夹和 .gitignore，之后 check、build、serve 可以直接使用。"""
    from .site.newguide import MODEL, NONE, GuideAnswers, blocking_entries, check_answers, init_guide

    if folder.exists() and not folder.is_dir():
        _fail(f"{folder} 是一个文件，不是文件夹：请换一个文件夹名。")
    if not force and (found := blocking_entries(folder)):  # say so before asking anything
        _fail(f"文件夹 {folder} 不是空的（有 {'、'.join(found[:5])}{'等' if len(found) > 5 else ''}）："
              "init 只在空文件夹中新建指南。请换一个新的文件夹名；如果确实要在这里新建，"
              "加 --force（已有的文件一个也不会改动或删除）。")
    if yes and not (name or "").strip():
        _fail("用了 --yes 时必须用 --name 给出指南名称，如 --name \"某某县城乡社区社会组织培育指南\"。")
    ask = not yes

    def value(given: str | None, prompt: str, default: str = "") -> str:
        if given is not None or not ask:
            return given if given is not None else default
        return click.prompt(prompt, default=default, show_default=bool(default), prompt_suffix="：")

    answers = GuideAnswers(
        name=value(name, "指南名称（如 某某县城乡社区社会组织培育指南）"),
        office=value(office, "编写单位（如 某某县民政局；可直接回车跳过）"),
        region=value(region, "适用地区（如 吉林省某某县；可直接回车跳过）"),
        site_url=value(site_url, "发布后的完整地址（如 http://内网服务器/guide/；可直接回车跳过）"),
        base=value(base, f"基础指南（{MODEL}：沿用范例指南；{NONE}：不用；或另一份指南的文件夹路径）", MODEL))
    problems = check_answers(answers)
    if problems:
        _fail("\n".join(problems))
    try:
        report = init_guide(folder, answers, force)
    except SetupError as error:
        _fail(str(error))
    if answers.base.strip() != NONE and not report.kept:
        _accept_first_base(report)
    _init_report(report, answers)


def _accept_first_base(report) -> None:
    """A new guide starts from its base's current edition: recorded now (base-edition.json), so its
    first check has nothing to accept and later ones list what changed upstream since."""
    from .content.gather import load_content
    from .content.layers import BASE_EDITION, accept

    try:
        content = load_content(report.folder)
        accept(content, content.today.isoformat())
    except ContentError as error:  # e.g. a base folder that is not there yet: the guide is written all the same
        click.echo(error.format(), err=True)
        click.echo(f"基础指南现在还不能读取：改好 guide.yaml 的 base 后运行 {invocation('accept-base')}。", err=True)
        return
    report.written.append(BASE_EDITION)


def _init_report(report, answers) -> None:
    folder = report.folder
    inside = folder.resolve().is_relative_to(Path.cwd().resolve())
    shown = os.path.relpath(folder, Path.cwd()) if inside else str(folder)
    click.echo(f"已新建指南《{answers.name.strip()}》：{Path(shown).as_posix()}")
    if report.written:
        click.echo("写入：" + "、".join(report.written))
    if report.kept:
        click.echo("已存在，未改动：" + "、".join(report.kept))
    steps = [] if shown == "." else [f'cd "{shown}"' if " " in shown else f"cd {shown}"]
    steps += [f"{invocation('check')}           检查", f"{invocation('serve')}           在浏览器中预览",
              f"{invocation('new step first-step')}   新建第一条记录（政策用 policy，案例用 case-study）"]
    click.echo("下一步：\n" + "\n".join(f"  {line}" for line in steps))


@main.command()
@config_option
@click.argument("kind", type=LabelledChoice({k: v.label for k, v in schemas.kinds().items()}), metavar="类型")
@click.argument("record_id", metavar="ID")
def new(config: Path | None, kind: str, record_id: str) -> None:
    """新建一条记录，不会覆盖已有文件。类型：policy（政策）、step（培育步骤）、case-study（试点案例）、
    glossary（术语）、course（培训课程）；ID 只用小写字母、数字和连字符，如 gaochao-village。"""
    root = _root(config)
    vocabularies = load_vocabularies(root, Problems())
    made: list[str] = []
    try:
        path = new_record(root, kind, record_id, vocabularies, made)
    except ScaffoldError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"无法写入新记录（{error.strerror or error}）：请检查 {root} 的文件夹权限和磁盘空间。")
    for folder in made:
        what = "（各类记录字段的说明，供编辑器补全和检查）" if folder == "schemas/" else ""
        click.echo(f"已新建文件夹 {folder}{what}")
    shown = os.path.relpath(path, Path.cwd()) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    click.echo(f"已创建 {Path(shown).as_posix()}：请把所有【待填写】换成真实内容，然后运行 {invocation('check')}。")
    if PACKAGED_VOCABULARIES in path.read_text(encoding="utf-8"):
        from importlib import resources

        packaged = resources.files("pilotguide") / VOCABULARIES
        click.echo(f"提示：本指南没有自己的 {VOCABULARIES}，新文件中“可选”的词语来自 pilotguide 自带的词表："
                   f"{packaged}。"
                   f"要改用本地词表，把它复制为 {(root / VOCABULARIES)} 再修改；check 会按本地词表检查。")


@main.command()
@config_option
@click.option("--out", "out", type=FilePath(path_type=Path, file_okay=False), required=True,
              help="输出目录。")
def schema(config: Path | None, out: Path) -> None:
    """写出各类记录的 JSON Schema（draft-07），供编辑器补全和校验。"""
    vocabularies = load_vocabularies(_root(config), Problems())
    written = schemas.write_schemas(out, vocabularies)
    click.echo(f"已写入 {len(written)} 个 Schema 到 {out}。")


def _workbook_kinds() -> LabelledChoice:
    """The kinds a workbook can hold, with their Chinese names (`policy（政策）`)."""
    from .intake.columns import WORKBOOK_KINDS

    return LabelledChoice({kind: schemas.label(kind) for kind in WORKBOOK_KINDS})


def _kinds_option():
    kinds = _workbook_kinds()
    return click.option("--kind", "kinds", multiple=True, type=kinds,
                        help=f"记录类型，可重复（默认：case-study，即试点案例）。可选：{kinds.listed()}。")


@main.command()
@config_option
@click.option("--out", "out", type=FilePath(path_type=Path, dir_okay=False), required=True,
              help="要生成的工作簿，如 案例收集表.xlsx。")
@_kinds_option()
def workbook(config: Path | None, out: Path, kinds: tuple[str, ...]) -> None:
    """生成空白的收集表（Excel/WPS 工作簿），供县、乡镇填写后用 import 导入。"""
    _workbook(config, out, kinds, filled=False)


@main.command()
@config_option
@click.option("--out", "out", type=FilePath(path_type=Path, dir_okay=False), required=True,
              help="要生成的工作簿，如 现有案例.xlsx。")
@_kinds_option()
def export(config: Path | None, out: Path, kinds: tuple[str, ...]) -> None:
    """把现有内容导出为与收集表相同格式的工作簿，便于在表格中核对和修改后再导入。"""
    _workbook(config, out, kinds, filled=True)


def _workbook(config: Path | None, out: Path, kinds: tuple[str, ...], filled: bool) -> None:
    from .intake.workbook import write_workbook

    if out.suffix.lower() != ".xlsx":
        _fail(f"{out}: 工作簿请以 .xlsx 结尾（Excel 和 WPS 都能打开）。")
    content = _load(_project(config, all_problems=True))
    try:
        write_workbook(out, list(kinds) or ["case-study"], content, filled)
    except OSError as error:
        _fail(f"{out}: 无法写入（{error.strerror}）：文件是否正在 Excel 或 WPS 中打开？关闭后再试。")
    what = "已导出现有内容到" if filled else "已生成收集表"
    click.echo(f"{what} {out}。")


@main.command(name="import")
@config_option
@click.argument("file", type=FilePath(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查并列出将新建、更新、不变和跳过的记录，不写入任何文件。")
@click.option("--update", is_flag=True, help="允许修改已有记录（只改表格中有的列；正文 body 等保留）。")
@click.option("--kind", "csv_kind", default="case-study", show_default=True, type=_workbook_kinds(),
              help=f"CSV 文件中记录的类型（xlsx、xls、ods 按工作表名称识别）。可选：{_workbook_kinds().listed()}。")
def import_(config: Path | None, file: Path, dry_run: bool, update: bool, csv_kind: str) -> None:
    """导入填好的收集表（.xlsx、.xls、.ods 或 .csv）：全部检查通过才写入，否则一个文件也不改。"""
    from .intake.importer import import_workbook
    from .intake.read import ReadError

    if not file.is_file():
        _fail(f"找不到文件 {file}：请检查文件名和所在文件夹。")
    try:
        report = import_workbook(_root(config), file, update=update, dry_run=dry_run, csv_kind=csv_kind)
    except ReadError as error:
        _fail(f"{file.name}: {error}")
    except ContentError as error:
        _fail(error.format() + "\n没有写入任何文件：请改正后重新导入。")
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    _print_plan(report, dry_run)


def _print_plan(report, dry_run: bool) -> None:
    words = {"create": "新建", "update": "更新", "unchanged": "未变",
             "skip": "跳过（已有这条记录；要修改请加 --update）"}
    for item in report.planned:
        where = f"{item.row.cell.sheet} 第 {item.row.cell.row} 行"
        click.echo(f"{words[item.action]}：{schemas.kinds()[item.kind].label} {item.id}（{where}）")
    prefix = "试运行，未写入任何文件。将" if dry_run else "导入完成："
    click.echo(prefix + report.summary())


def _safe_streams() -> None:
    """Print whatever the console's code page is (GBK on Chinese Windows, ASCII under LANG=C):
    a character it cannot show becomes '?' instead of an UnicodeEncodeError. Files are always
    read and written as UTF-8, whatever the locale."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="replace")


def run() -> None:
    """Console entry point: an unexpected error is one line, not a traceback (unless --debug)."""
    _safe_streams()
    try:
        main(prog_name=invocation())  # usage lines show the command that works in this shell
    except KeyboardInterrupt:
        _fail("已中止。")
    except Exception as error:  # noqa: BLE001 - the last line of defence for users
        if "--debug" in sys.argv:
            raise
        _fail(f"内部错误：{type(error).__name__}: {error}\n（加 --debug 可查看详细信息，并请报告此问题。）")


if __name__ == "__main__":  # pragma: no cover
    run()
