"""Guides on guides: a guide whose guide.yaml names a `base` inherits the base's records,
vocabularies, synonyms, glossary and courses, and adds its own layer on top.

    model guide (packaged)  ->  province layer  ->  county layer

A local record with a base record's id overrides it (本地修改), guide.yaml's `hide:` list hides
base records, any other local record adds (本地补充); every other record is kept from the base
(沿用《base name》). gather.load_content resolves the layers once into the same `Content` the
rest of the pipeline takes; only `Record.provenance`/`origin` tell where a record came from.

The base is loaded as a guide of its own (with its own base, for chains) and must be sound on
its own. `base-edition.json` at the project root records which edition of the base the guide
last accepted (a fingerprint of the base's records and vocabularies, and one short hash per
field of every record): `check` lists what changed upstream since, and which local overrides
sit on a changed base record; `pilotguide accept-base` records the current edition.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

from ..errors import ContentError, Problem, Problems
from . import editions, schemas
from .editions import Change
from .guidefile import GUIDE_FILE, MODEL, GuideSettings
from .model import ADDED, BASE, CHANGED, Content, Record
from .validate import suggest

MODEL_FOLDER = "model"  # the model guide's content inside the installed package (setup.py copies it)
MODEL_SHOWN = "(范例指南)"  # how messages name the packaged model guide's folder
BASE_EDITION = "base-edition.json"
FORMAT = 1
SETTINGS_FILES = ("guide.yaml", "vocabularies.yaml", "synonyms.yaml", "editions.json", BASE_EDITION)


def model_root() -> Path | None:
    """The packaged model guide: inside the installed package (a wheel), else this checkout's
    root (an editable install, where the guide's own folders are the source of truth)."""
    packaged = resources.files("pilotguide") / MODEL_FOLDER
    if packaged.is_dir() and (packaged / GUIDE_FILE).is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / GUIDE_FILE).is_file() and (checkout / "generator" / "pilotguide").is_dir():
        return checkout
    return None


@dataclass
class Upstream:
    """What changed in the base since the edition this guide accepted."""

    accepted: dict | None  # base-edition.json as read (None: no edition accepted yet)
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    overrides: list[Record] = field(default_factory=list)  # local overrides on a changed or removed base record

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass
class Base:
    """The base guide as this guide sees it: its resolved content and where it was found."""

    spec: str  # `base` as written in guide.yaml
    name: str  # the base guide's name (its guide.yaml), for 沿用《…》
    root: Path
    shown: str  # how messages name its folder
    content: Content
    hidden: set[tuple[str, str]] = field(default_factory=set)
    upstream: Upstream | None = None
    _snapshot: dict | None = field(default=None, repr=False)

    def snapshot(self, kept: dict | None = None) -> dict[str, dict]:
        """editions.snapshot of the base; `kept`: field hashes shared with the guide's own edition
        stamp (the records they have in common are hashed once)."""
        if self._snapshot is None:
            self._snapshot = editions.snapshot(self.content, kept)
        return self._snapshot

    def fingerprint(self) -> str:
        text = editions.dumps([self.snapshot(), self.content.vocabularies])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:editions.HASH_LENGTH]

    @property
    def history(self) -> list[dict]:
        """Base editions this guide accepted, newest first (for the changes page)."""
        accepted = self.upstream.accepted if self.upstream else None
        return list(accepted.get("history", [])) if accepted else []


    def updates(self) -> list[tuple[str, editions.Edition]]:
        """(heading, changes) of the base's updates for the changes page: what changed upstream
        since the accepted edition (already in this build), then each accepted update, newest first."""
        out = []
        up = self.upstream
        if up is not None and up.accepted is not None and up.any:
            pending = editions.Edition("", self.fingerprint(), up.added, up.removed, up.changed)
            out.append((f"尚未核对的更新（《{self.name}》当前版本 `{pending.hash}`，已包含在本版中）", pending))
        for entry in self.history:
            accepted = editions.edition_from(entry)
            out.append((f"{accepted.date} 接受的更新（《{self.name}》版本 `{accepted.hash}`）", accepted))
        return out


class Bases:
    """Owns what loading bases needs for one load: temporary folders of unpacked .zip bases.
    Use as a context manager; the folders go when the load is done (records are in memory)."""

    def __init__(self) -> None:
        self._temps: list[tempfile.TemporaryDirectory] = []

    def __enter__(self) -> Bases:
        return self

    def __exit__(self, *exc) -> None:
        for temp in self._temps:
            temp.cleanup()

    def locate(self, root: Path, settings: GuideSettings, shown_root: str,
               problems: Problems) -> tuple[Path, str] | None:
        """The base's folder and how messages name it, or None (a located problem added)."""
        spec, (line, col) = settings.base, settings.base_at
        where = _join(shown_root, GUIDE_FILE)
        if spec == MODEL:
            found = model_root()
            if found is None:
                problems.add(where, line, col,
                             "找不到随 pilotguide 提供的范例指南：请重新安装 pilotguide（pip install pilotguide）。")
                return None
            return found, MODEL_SHOWN
        path = (root / spec).resolve()
        shown = _join(shown_root, spec)
        if spec.lower().endswith(".zip") and path.is_file():
            return self._unpack(path, shown, where, (line, col), problems)
        if not path.is_dir():
            problems.add(where, line, col, f"找不到基础指南 `{spec}`（按本文件所在的文件夹找：{path.as_posix()}）："
                         "请写 model（范例指南）、另一份指南的文件夹，或它的 .zip 文件的路径。")
            return None
        return path, shown

    def _unpack(self, path: Path, shown: str, where: str, at: tuple[int, int],
                problems: Problems) -> tuple[Path, str] | None:
        temp = tempfile.TemporaryDirectory(prefix="pilotguide-base-")
        self._temps.append(temp)
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(temp.name)  # extractall drops absolute and `..` parts of names
        except (zipfile.BadZipFile, OSError) as error:
            problems.add(where, *at, f"无法打开基础指南的压缩包 `{shown}`（{error}）：请重新导出这份 .zip。")
            return None
        folder = Path(temp.name)
        inner = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
        if not (folder / GUIDE_FILE).is_file() and len(inner) == 1 and inner[0].is_dir():
            folder = inner[0]  # a zip of the guide's folder rather than of its contents
        return folder, shown


def _join(prefix: str, path: str) -> str:
    return f"{prefix}/{path}" if prefix else path


def load_base(root: Path, settings: GuideSettings | None, shown_root: str, chain: tuple[Path, ...],
              bases: Bases, load: Callable[[Path, str, tuple[Path, ...]], Content],
              problems: Problems) -> Base | None:
    """The base this guide names, loaded and resolved as a guide of its own (with its base, for
    chains). A base with problems stops the load: its own messages are raised, with the
    base's path in front of each file, after one saying which base it is."""
    if settings is None or not settings.base or settings.base.lower() == "none":
        return None
    located = bases.locate(root, settings, shown_root, problems)
    if located is None:
        problems.raise_if_any()
        return None
    base_root, shown = located
    line, col = settings.base_at
    if base_root.resolve() in chain:
        problems.add(_join(shown_root, GUIDE_FILE), line, col,
                     f"基础指南 `{settings.base}` 又以本指南（或它的下层指南）为基础，形成了循环：请改写 base。")
        problems.raise_if_any()
    try:
        content = load(base_root, shown, chain + (base_root.resolve(),))
    except ContentError as error:
        own = [Problem(_join(shown, p.path) if p.path in SETTINGS_FILES else p.path, p.line, p.col, p.message,
                       p.warning, p.place) for p in error.problems]
        lead = Problem(_join(shown_root, GUIDE_FILE), line, col,
                       f"基础指南 `{settings.base}` 有错误（见以 {shown}/ 开头的各条），本指南无法沿用它："
                       "请先修正这些问题（或请基础指南的编写单位修正）。")
        raise ContentError([lead] + [p for p in own if not p.warning]) from None
    name = content.settings.name if content.settings is not None else base_root.name
    return Base(settings.base, name, base_root, shown, content)


def vocabularies(local_file: bool, local: dict[str, list[str]], base: Base | None) -> dict[str, list[str]]:
    """The base's vocabularies, each list the guide's own vocabularies.yaml names replacing the base's."""
    if base is None:
        return local
    if not local_file:
        return dict(base.content.vocabularies)
    return {**base.content.vocabularies, **local}


def synonyms(local_file: bool, local: dict[str, str], base: Base | None) -> dict[str, str]:
    """The base's synonyms, with the guide's own synonyms.yaml added over them."""
    if base is None:
        return local
    return {**base.content.synonyms, **local} if local_file else dict(base.content.synonyms)


def merge(base: Base, local: dict[str, list[Record]], settings: GuideSettings, shown_root: str,
          problems: Problems, unreadable: dict[str, set[str]]) -> dict[str, list[Record]]:
    """The guide's records: the base's, overridden, hidden and added to by the local layer.
    Hidden ids go into `unreadable` so check_references does not report them a second time."""
    kinds = schemas.kinds()
    by_id = {r.id: r for rs in base.content.records.values() for r in rs}
    in_base = {(r.kind, r.id) for rs in base.content.records.values() for r in rs}
    own = {(r.kind, r.id) for rs in local.values() for r in rs}
    for records in local.values():
        for record in records:
            upstream = by_id.get(record.id)
            if upstream is not None and upstream.kind != record.kind and (upstream.kind, record.id) not in own:
                line, col = record.doc.where(("id",))
                problems.add(record.path, line, col,
                             f"id `{record.id}` 在基础指南中是{kinds[upstream.kind].label}（{upstream.path}），"
                             f"这里却是{kinds[record.kind].label}：本地记录只能修改同一类的基础记录。"
                             f"请换一个 id，或把文件放进 {kinds[upstream.kind].folder}/ 文件夹。")
            changed = (record.kind, record.id) in in_base
            record.provenance, record.origin = (CHANGED if changed else ADDED), settings.name
    base.hidden = _hidden(base, settings, own, shown_root, problems)
    merged: dict[str, list[Record]] = {}
    for kind in kinds:
        kept = [r for r in base.content.all(kind) if (r.kind, r.id) not in own and (r.kind, r.id) not in base.hidden]
        for record in kept:
            if record.provenance != BASE:  # written by the base's own layer; deeper ones keep their origin
                record.provenance, record.origin = BASE, base.name
        merged[kind] = kept + list(local.get(kind, []))
    _still_referenced(base, merged, settings, shown_root, problems)
    for kind, id_ in base.hidden:
        unreadable.setdefault(kind, set()).add(id_)
    return merged


def _hidden(base: Base, settings: GuideSettings, own: set[tuple[str, str]], shown_root: str,
            problems: Problems) -> set[tuple[str, str]]:
    kinds = {k.folder: k for k in schemas.kinds().values()}
    where = _join(shown_root, GUIDE_FILE)
    hidden: set[tuple[str, str]] = set()
    for entry, (line, col) in settings.hide:
        folder, _, id_ = entry.partition("/")
        kind = kinds.get(folder)
        if kind is None:
            problems.add(where, line, col, f"`hide` 中的 `{entry}`：没有 `{folder}` 这个文件夹"
                         f"{suggest(folder, sorted(kinds))}。请写成“文件夹/编号”，例如 case-studies/gaochao-village。")
            continue
        ids = [r.id for r in base.content.all(kind.name)]
        if id_ not in ids:
            problems.add(where, line, col, f"`hide` 中的 `{entry}`：基础指南《{base.name}》没有这条{kind.label}"
                         f"{suggest(id_, ids)}。")
        elif (kind.name, id_) in own:
            problems.add(where, line, col, f"`hide` 中的 `{entry}`：本指南的 {kind.folder}/ 里也有这条{kind.label}"
                         "（本地修改）。隐藏和修改只能选一个：请从 hide 删去这一项，或删去本地的文件。")
        else:
            hidden.add((kind.name, id_))
    return hidden


def _still_referenced(base: Base, merged: dict[str, list[Record]], settings: GuideSettings, shown_root: str,
                      problems: Problems) -> None:
    """Hiding a record that a kept record still refers to is an error at the `hide` entry."""
    if not base.hidden:
        return
    at = {entry: where for entry, where in settings.hide}
    folders = {k.name: k.folder for k in schemas.kinds().values()}
    citing: dict[tuple[str, str], list[str]] = {}
    for records in merged.values():
        for record in records:
            for ref in record.refs:
                if (ref.kind, ref.id) in base.hidden:
                    line, col = record.doc.where(ref.at)
                    citing.setdefault((ref.kind, ref.id), []).append(f"{record.path}:{line}:{col}")
    for (kind, id_), places in sorted(citing.items()):
        line, col = at[f"{folders[kind]}/{id_}"]
        shown = "、".join(dict.fromkeys(places[:3])) + ("等" if len(places) > 3 else "")
        problems.add(_join(shown_root, GUIDE_FILE), line, col,
                     f"不能隐藏{schemas.label(kind)} `{id_}`：{shown} 仍然引用它。请在本指南中修改引用它的记录"
                     "（复制到本地的同名文件里，去掉这条引用），或不再隐藏它。")


# Base editions ---------------------------------------------------------------------------------

def read_accepted(root: Path, shown_root: str, problems: Problems) -> dict | None:
    path = root / BASE_EDITION
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("records"), dict) or "hash" not in data:
            raise ValueError("records")
    except (ValueError, UnicodeDecodeError) as error:
        problems.add(_join(shown_root, BASE_EDITION), 0, 0, f"基础指南版本记录文件损坏，无法读取（{error}）："
                     "请从版本库恢复它，或删除它后运行 pilotguide accept-base 重新接受当前的基础指南。")
        return None
    return data


def compare_upstream(root: Path, base: Base, content: Content, settings: GuideSettings, shown_root: str,
                     problems: Problems, kept: dict | None = None) -> None:
    """base.upstream: the base's changes since the accepted edition, each a warning, with the
    local overrides that sit on a changed base record (someone should look at them). `kept`: see
    Base.snapshot."""
    accepted = read_accepted(root, shown_root, problems)
    base.upstream = Upstream(accepted)
    base.snapshot(kept)
    where, (line, col) = _join(shown_root, GUIDE_FILE), settings.base_at
    if accepted is None:
        if not (root / BASE_EDITION).is_file():
            problems.add(where, line, col, f"还没有记录本指南接受的基础指南《{base.name}》版本（{BASE_EDITION}）："
                         "请运行 pilotguide accept-base。之后基础指南有新增、修改或删除时，check 会逐条列出。",
                         warning=True)
        return
    if accepted.get("hash") == base.fingerprint():
        return
    added, removed, changed = editions.changes_between(accepted["records"], base.snapshot())
    up = base.upstream
    up.added, up.removed, up.changed = added, removed, changed
    problems.add(where, line, col,
                 f"基础指南《{base.name}》自本指南接受的版本（{accepted.get('date', '?')}）以来有变化："
                 f"新增 {len(added)} 条、修改 {len(changed)} 条、删除 {len(removed)} 条。核对后运行 "
                 "pilotguide accept-base 接受新版本。", warning=True)
    for verb, changes in (("新增", added), ("修改", changed), ("删除", removed)):
        for change in changes:
            fields = f"（改动：{'、'.join(change.fields)}）" if change.fields else ""
            problems.add(where, line, col,
                         f"基础指南{verb}了{change.kind_label} `{change.id}`“{change.title}”{fields}。", warning=True)
    moved = {(c.kind, c.id): c for c in changed + removed}
    for record in (r for rs in content.records.values() for r in rs):
        change = moved.get((record.kind, record.id))
        if record.provenance != CHANGED or change is None:
            continue
        up.overrides.append(record)
        rline, rcol = record.doc.where(("id",))
        what = f"改动了 {'、'.join(change.fields)}" if change.fields else "删除了这条记录"
        problems.add(record.path, rline, rcol,
                     f"本地修改的{change.kind_label} `{record.id}` 所依据的基础记录已经变化（基础指南{what}）："
                     "请对照基础指南检查本地版本是否也要修改，然后运行 pilotguide accept-base。", warning=True)


def accept(content: Content, today: str) -> dict:
    """Record the base's current edition in base-edition.json (atomically); returns what was written.
    Raises ValueError when the guide has no base."""
    base: Base | None = content.base
    if base is None:
        raise ValueError("no base")
    up = base.upstream
    history = base.history
    if up is not None and up.accepted is not None and up.any:
        rows = editions.manifest_entry(editions.Edition(today, base.fingerprint(), up.added, up.removed, up.changed))
        history = [rows] + history
    data = {"format": FORMAT, "base": base.spec, "name": base.name, "date": today, "hash": base.fingerprint(),
            "history": history, "records": base.snapshot()}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    target = content.root / BASE_EDITION
    fd, temp = tempfile.mkstemp(prefix=f".{BASE_EDITION}.", dir=content.root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return data
