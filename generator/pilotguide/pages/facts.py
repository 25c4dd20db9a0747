"""A record's facts, formatted once for every output: the web page, the handouts, the slides, the
book (PDF and DOCX) all print the rows this module returns, in its order, with its values.

The rule of the policy pages holds everywhere: a measure an article only proposes names its
department as 提出机关 (it issued nothing), and a fact the source does not state reads 来源未说明,
never a bare 未说明 or an empty cell. Task notes ("负责：…；产出：…") are made here too, so no
output doubles the punctuation a field ends with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .filters import place

UNSTATED = "来源未说明"
PROPOSED = "文章提出的措施"  # a policy status: an article proposes it; no document, no legal force
LEGAL = ("现行有效", "已修订", "已废止", "征求意见")  # statuses that are a document's legal state
END_PUNCTUATION = "。；，、.;, "


@dataclass(frozen=True)
class Fact:
    """One row: its label, its value as content text (outputs put it through their own filter),
    and, for a policy's status, whether the value is a legal state (the web page shows a badge)."""

    label: str
    value: str
    legal: bool = False


def stated(value: Any) -> str:
    """A value the source may not state: missing, empty or 未说明 reads 来源未说明."""
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    text = str(value).strip() if value is not None else ""
    return text if text and text != "未说明" else UNSTATED


def issuer_label(status: Any) -> str:
    return "提出机关" if status == PROPOSED else "发布机关"


def policy_facts(record) -> list[Fact]:
    status = record.status
    return [Fact(issuer_label(status), stated(record.issuer)),
            Fact("层级", stated(record.level)),
            Fact("文号", stated(record.number)),
            Fact("发布时间", stated(record.issued)),
            Fact("状态", stated(status), legal=status in LEGAL)]


def step_facts(record) -> list[Fact]:
    return [Fact("阶段", stated(record.phase)), Fact("用时", stated(record.time_frame))]


def case_facts(record) -> list[Fact]:
    rows = [Fact("地点", stated(place(record.location))), Fact("城乡类型", stated(record.area))]
    optional = (("开始时间", record.started), ("活动类型", record.activity_types), ("发挥作用", record.roles),
                ("扶持措施", record.support_measures))
    return rows + [Fact(label, stated(value)) for label, value in optional if value]


KINDS = {"policy": policy_facts, "step": step_facts, "case-study": case_facts}


def facts(record) -> list[Fact]:
    """The fact rows of a policy, step or case (none for other kinds)."""
    make = KINDS.get(record.kind)
    return make(record) if make else []


def facts_line(record, separator: str = "　") -> str:
    """The facts as one line of plain text (`label：value` pairs), for slides."""
    return separator.join(f"{f.label}：{f.value}" for f in facts(record))


def trimmed(text: Any) -> str:
    """A field's text without its closing punctuation, to sit inside a sentence or brackets."""
    return str(text or "").strip().rstrip(END_PUNCTUATION)


def task_note(task) -> str:
    """What a step's task notes in brackets after it: who is responsible (来源未说明 when the
    source does not say) and its output when there is one; each without its own full stop."""
    note = f"负责：{trimmed(stated(task.who))}"
    return note + (f"；产出：{trimmed(task.output)}" if task.output else "")


def task_line(task) -> str:
    """A task as one sentence: `what（负责：…；产出：…）。`"""
    return f"{trimmed(task.what)}（{task_note(task)}）。"
