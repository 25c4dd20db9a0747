"""Editions: a dated, hashed stamp for each build and what changed since the previous edition.

The manifest `editions.json` at the project root remembers the editions a publisher recorded:
for each, its date, content hash and changes (records added, removed, changed fields), plus a
snapshot of the latest edition (one short hash per field of every record) to compare against.

Reading it is part of loading content; writing it is opt-in (`pilotguide build
--record-edition`), happens only after the site was built and swapped into place, and is atomic
(a temporary file renamed over the old one). It is the only file a build writes outside site/.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problems
from .schemas import label

MANIFEST = "editions.json"
FORMAT = 1
HASH_LENGTH = 8
FIELD_LABELS = {
    "title": "标题", "term": "术语", "summary": "摘要", "definition": "释义", "aliases": "又称",
    "issuer": "发布机关", "level": "层级", "number": "文号", "issued": "发布时间", "status": "状态",
    "replaced_by": "替代文件", "quotation": "原文引用", "key_provisions": "要点", "related_policies": "相关政策",
    "phase": "阶段", "order": "顺序", "goal": "目标", "tasks": "任务", "checklist": "检查清单",
    "time_frame": "用时", "pitfalls": "常见误区", "policies": "政策", "steps": "培育步骤",
    "location": "地点", "area": "城乡类型", "started": "开始时间", "timeline": "时间线",
    "organisations": "参与组织", "activity_types": "活动类型", "roles": "发挥作用",
    "support_measures": "扶持措施", "outcomes": "成效", "lessons": "经验启示", "body": "正文",
    "sources": "来源", "updated": "更新日期", "reviewed": "审核日期", "review_by": "复核期限",
    "related": "相关术语", "audience": "培训对象", "duration": "总时长", "objectives": "课程目标",
    "preparation": "课前准备", "sessions": "课程安排",
}


@dataclass
class Change:
    kind: str
    id: str
    title: str
    fields: list[str] = field(default_factory=list)  # changed fields (Chinese labels), for "changed"

    @property
    def kind_label(self) -> str:
        return label(self.kind)


@dataclass
class Edition:
    date: str
    hash: str
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    first: bool = False  # no earlier edition to compare with
    recorded: bool = False  # already in the manifest
    previous: Edition | None = None
    history: list[Edition] = field(default_factory=list)  # recorded editions before this one, newest first

    @property
    def name(self) -> str:
        return f"{self.date} · {self.hash}"

    @property
    def stamp(self) -> str:
        """How every output names this edition: the site's footer, printed pages, handouts, the book."""
        return f"本版 {self.date} · 内容指纹 {self.hash}"


def _digest(value: Any) -> str:
    return hashlib.sha256(dumps(value).encode("utf-8")).hexdigest()


def _field_digests(record, kept: dict | None) -> dict[str, str]:
    if kept is not None and (entry := kept.get(id(record))) is not None and entry[0] is record:
        return entry[1]
    digests = {k: _digest(v)[:12] for k, v in sorted(record.data.items())}
    if kept is not None:
        kept[id(record)] = (record, digests)
    return digests


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_json(content, kept: dict | None = None) -> str:
    """dumps([snapshot(content, kept), content.vocabularies]), the text the content hash is taken
    of, made from one piece per record; under `pilotguide serve` (`kept`) each record's piece is
    kept with its field hashes, so a save does not serialise a big guide's snapshot again."""
    pieces = []
    for records in content.records.values():
        for record in records:
            entry = kept.get(id(record)) if kept is not None else None
            if entry is None or entry[0] is not record or len(entry) < 3:
                key = f"{record.kind}/{record.id}"
                value = {"title": str(record.title), "fields": _field_digests(record, kept)}
                entry = (record, value["fields"], (key, f"{dumps(key)}:{dumps(value)}"))
                if kept is not None:
                    kept[id(record)] = entry
            pieces.append(entry[2])
    if kept is not None:
        _forget_gone(content, kept)
    pieces.sort(key=lambda piece: piece[0])  # as sort_keys orders the snapshot's keys
    return "[{" + ",".join(text for _, text in pieces) + "}," + dumps(content.vocabularies) + "]"


def _forget_gone(content, kept: dict) -> None:
    alive = {id(r) for records in content.records.values() for r in records}
    for key in [k for k in kept if k not in alive]:
        del kept[key]


def snapshot(content, kept: dict | None = None) -> dict[str, dict]:
    """'kind/id' -> title and one short hash per field: enough to tell what changed, and small.

    `kept` (RecordCache.digests, under `pilotguide serve`): each record's field hashes from the last
    save; an unchanged file keeps its record object, and hashing every field of a big guide again
    costs a third of a second at 1,000 cases."""
    out = {f"{r.kind}/{r.id}": {"title": str(r.title), "fields": _field_digests(r, kept)}
           for records in content.records.values() for r in records}
    if kept is not None:
        _forget_gone(content, kept)
    return out


def _docs_files(root: Path) -> list[Path]:
    docs = root / "docs"
    return sorted(p for p in docs.rglob("*") if p.is_file()) if docs.is_dir() else []


def content_hash(content, kept: dict | None = None) -> str:
    """A short hash of everything a reader sees: records, vocabularies and hand-written pages."""
    h = hashlib.sha256()
    h.update(hashlib.sha256(snapshot_json(content, kept).encode("utf-8")).hexdigest().encode())
    for path in _docs_files(content.root):
        h.update(path.relative_to(content.root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return h.hexdigest()[:HASH_LENGTH]


def changes_between(before: dict[str, dict], after: dict[str, dict]) -> tuple[list[Change], list[Change], list[Change]]:
    def change(key: str, entry: dict, fields: list[str] | None = None) -> Change:
        kind, _, id_ = key.partition("/")
        return Change(kind, id_, entry.get("title", id_), fields or [])

    added = [change(k, after[k]) for k in sorted(after) if k not in before]
    removed = [change(k, before[k]) for k in sorted(before) if k not in after]
    changed = []
    for key in sorted(set(before) & set(after)):
        old, new = before[key].get("fields", {}), after[key]["fields"]
        names = [n for n in sorted(set(old) | set(new)) if old.get(n) != new.get(n)]
        if names:
            changed.append(change(key, after[key], [FIELD_LABELS.get(n, n) for n in names]))
    return added, removed, changed


def edition_from(entry: dict) -> Edition:
    def changes(name: str) -> list[Change]:
        return [Change(c["kind"], c["id"], c.get("title", c["id"]), c.get("fields", [])) for c in entry.get(name, [])]
    return Edition(entry["date"], entry["hash"], changes("added"), changes("removed"), changes("changed"),
                   first=entry.get("first", False), recorded=True)


def read_manifest(root: Path, problems: Problems) -> dict | None:
    """The manifest, or None when the project keeps none; a damaged one is a located problem."""
    path = root / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        editions = [edition_from(e) for e in data["editions"]]
        if not isinstance(data.get("records"), dict) or not editions:
            raise ValueError("records")
    except (ValueError, KeyError, TypeError) as error:
        problems.add(MANIFEST, 0, 0,
                     f"版本记录文件损坏，无法读取（{type(error).__name__}: {error}）：请从版本库恢复它。")
        return None
    data["parsed"] = editions
    return data


def current_edition(content, manifest: dict | None, kept: dict | None = None) -> Edition:
    """This build's edition: the latest recorded one if the content is unchanged, else a new one."""
    digest = content_hash(content, kept)
    recorded: list[Edition] = manifest["parsed"] if manifest else []
    if recorded and recorded[0].hash == digest:
        edition = recorded[0]
        edition.history = recorded[1:]
    elif not recorded:
        # The first edition: everything is new, so listing it all would say nothing.
        edition = Edition(change_date(content, None), digest, first=True)
    else:
        added, removed, changed = changes_between(manifest["records"], snapshot(content, kept))
        edition = Edition(change_date(content, recorded[0]), digest, added, removed, changed)
        edition.history = recorded
    edition.previous = edition.history[0] if edition.history else None
    return edition


def change_date(content, previous: Edition | None) -> str:
    """The date of an edition not yet recorded: when its content last changed, not the build day.

    That is the newest `updated` date of any record (a full date, not after today), so the same
    content rebuilt on another day keeps its date. Only when no record says when it changed, or the
    newest `updated` is not later than the previous recorded edition (the change went in undated),
    is it the build's date (`content.today`, SOURCE_DATE_EPOCH in reproducible builds)."""
    today = content.today.isoformat()
    dates = [str(r.data.get("updated")) for records in content.records.values() for r in records]
    newest = max((d for d in dates if len(d) == 10 and d[4] == "-" and d <= today), default=None)
    if newest is None or (previous is not None and newest <= previous.date):
        return today
    return newest


def manifest_entry(edition: Edition) -> dict:
    def rows(changes: list[Change], with_fields: bool = False) -> list[dict]:
        return [{"kind": c.kind, "id": c.id, "title": c.title, **({"fields": c.fields} if with_fields else {})}
                for c in changes]
    entry = {"date": edition.date, "hash": edition.hash, "added": rows(edition.added),
             "removed": rows(edition.removed), "changed": rows(edition.changed, True)}
    if edition.first:
        entry["first"] = True
    return entry


def record_edition(content) -> bool:
    """Add this build's edition to editions.json (atomically). False when it is already there."""
    edition = content.edition
    if edition is None or edition.recorded:
        return False
    target = content.root / MANIFEST
    older = json.loads(target.read_text(encoding="utf-8"))["editions"] if target.is_file() else []
    data = {"format": FORMAT, "editions": [manifest_entry(edition)] + older, "records": snapshot(content)}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    fd, temp = tempfile.mkstemp(prefix=f".{MANIFEST}.", dir=content.root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    edition.recorded = True
    return True
