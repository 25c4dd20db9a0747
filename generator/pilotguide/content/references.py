"""Cross-record checks and links: unique ids, existing references, back-links, reading order."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin

from ..errors import Problems
from .model import Content, Record
from .schemas import label, raw_schemas
from .validate import field_name, suggest

ID_PATTERN = re.compile(raw_schemas()["common.schema.json"]["definitions"]["id"]["pattern"])


def check_ids(records: list[Record], problems: Problems) -> None:
    """Ids are unique within a kind; a clash is reported at the copy and names the original."""
    groups: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        groups.setdefault((record.kind, record.id), []).append(record)
        stem = record.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if record.doc.is_file and stem != record.id and ID_PATTERN.fullmatch(record.id):  # a bad id: an error already
            record.doc.report(problems, ("id",), f"文件名 `{stem}` 与 id `{record.id}` 不一致；"
                              f"建议把文件改名为 `{record.id}.yaml`。", warning=True)
    for (kind, id_), group in groups.items():
        if len(group) < 2:
            continue
        original, *copies = sorted(group, key=_originality)
        for record in copies:
            record.doc.report(problems, ("id",), f"{label(kind)} id `{id_}` 重复："
                              f"已在 {original.doc.place(('id',))} 使用"
                              "（这个文件像是副本：请改用新的 id，或删除多余的文件）。")


def _originality(record: Record) -> tuple:
    """The original of records sharing an id: the one whose file is named after the id, then the
    older file (a copy saved later is the newcomer), then by path."""
    stem = record.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return (stem != record.id, record.doc.mtime, record.path)


def check_references(content: Content, problems: Problems, unreadable: dict[str, set[str]] | None = None) -> None:
    """Every reference names an existing record; compute back-links as we go.

    A reference to the name of a file that could not be read is not reported: that file's own
    error says what to fix, and the reference will resolve once it is fixed."""
    ids = {kind: {r.id for r in records} for kind, records in content.records.items()}
    backlinks: dict[tuple[str, str], list[Record]] = {}
    linked: set[tuple[str, str, int]] = set()  # (kind, id, citing record): a set, as lists grow with the guide
    for records in content.records.values():
        for record in records:
            for ref in record.refs:
                known = ids.get(ref.kind, set())
                if ref.id not in known and ref.id in (unreadable or {}).get(ref.kind, ()):
                    continue  # names a file that could not be read: its own error says what to fix
                if ref.id not in known:
                    record.doc.report(problems, ref.at, f"字段 `{field_name(ref.at)}` 引用了不存在的"
                                      f"{label(ref.kind)} `{ref.id}`{suggest(ref.id, sorted(known))}。")
                    continue
                if (ref.kind, ref.id, id(record)) in linked or (ref.kind, ref.id) == (record.kind, record.id):
                    continue
                linked.add((ref.kind, ref.id, id(record)))
                backlinks.setdefault((ref.kind, ref.id), []).append(record)
    content.backlinks = backlinks


def order_records(content: Content) -> None:
    """Steps in the framework's order: by phase (vocabulary order), then `order`. Everything else
    (policies, case studies, glossary terms, courses) as a reader looks a title up: by its pinyin
    (党建引领 before 乡村振兴), then title and id. Every page, handout and the book list records
    in this order."""
    phases = {p: i for i, p in enumerate(content.vocabularies.get("phases", []))}
    for kind, records in content.records.items():
        if kind == "step":
            records.sort(key=lambda r: (phases.get(r.data.get("phase"), len(phases)), r.data.get("order", 0), r.id))
        else:
            records.sort(key=lambda r: (pinyin_order(str(r.title)), r.id))


@lru_cache(maxsize=65536)
def pinyin_order(text: str) -> tuple:
    """The sort key of a Chinese text in a list people read: its toneless pinyin syllables (digits
    and Latin letters as they are, lowercase), then the text itself for homophones. pypinyin costs
    about 0.1 ms a call and a preview orders every record on each save."""
    return tuple(s.lower() for s in lazy_pinyin(text)), text


def check_step_order(content: Content, problems: Problems) -> None:
    """Step numbers are unique, and follow the phases: "第 N 步" must mean one step, in reading order."""
    phases = {p: i for i, p in enumerate(content.vocabularies.get("phases", []))}
    steps = [r for r in content.all("step") if isinstance(r.data.get("order"), int) and r.data.get("phase") in phases]
    seen: dict[int, Record] = {}
    for step in steps:
        order = step.data["order"]
        if order in seen:
            step.doc.report(problems, ("order",),
                            f"步骤序号 `order: {order}` 重复：已在 {seen[order].doc.place(('order',))} 使用。")
        else:
            seen[order] = step
    ordered = sorted(seen.values(), key=lambda r: r.data["order"])
    for earlier, later in zip(ordered, ordered[1:]):
        if phases[later.data["phase"]] < phases[earlier.data["phase"]]:
            later.doc.report(problems, ("order",),
                             f"步骤序号 `order: {later.data['order']}` 属于阶段“{later.data['phase']}”，却排在阶段"
                             f"“{earlier.data['phase']}”的第 {earlier.data['order']} 步"
                             f"（{earlier.doc.place(('order',))}）之后：序号应按 vocabularies.yaml 中阶段的顺序递增。")
