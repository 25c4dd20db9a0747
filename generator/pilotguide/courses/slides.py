"""A course as slides (PPTX, python-pptx): what a trainer shows while the handout is on the desks.

Built from the same records as the handout (the course and the steps, policies, cases and terms
its sessions name), so changing a step changes the slides. The deck uses the template's real
layouts and placeholders (title, title and content), so a trainer can apply their own design in
PowerPoint or WPS. Every run names an East Asian font; teaching notes, exercise guidance and quiz
answers go in the speaker notes, never on a slide. Long lists continue on a further slide
(`fit.py` estimates what fits a placeholder).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..pages.filters import place
from ..pages.qr import png
from . import fit
from .plain import paragraphs, plain
from .word import reproducible

if TYPE_CHECKING:
    from ..content.model import Record
    from .formats import Handout

EAST_ASIAN_FONT = "Noto Sans CJK SC"  # free (OFL), the PDFs' font; PowerPoint/WPS substitute their own CJK font
TITLE, CONTENT, TITLE_ONLY = 0, 1, 5  # layouts of python-pptx's default template
BODY_SIZES = (24, 20, 18)  # pt: the largest that fits the list, else more slides at 18 pt


class Deck:
    """A presentation being filled slide by slide."""

    def __init__(self, today) -> None:
        self.prs = Presentation()
        props = self.prs.core_properties
        props.author = props.last_modified_by = "pilotguide"
        props.language = "zh-CN"
        props.created = props.modified = _stamp(today)
        props.revision = 1

    def title_slide(self, title: str, subtitle: list[str], notes: str = "") -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE])
        _fill(slide.shapes.title, [(title, 0)], (40, 36, 32, 28, 24))
        _fill(slide.placeholders[1], [(line, 0) for line in subtitle], (24, 20, 18, 16))
        _notes(slide, notes)

    def bullets(self, title: str, items: list[tuple[str, int]], notes: str = "") -> None:
        """One or more "title and content" slides: items are (text, level); continued as （续）."""
        layout = self.prs.slide_layouts[CONTENT]
        body = layout.placeholders[1]
        pages = fit.paginate(items, Emu(body.width).pt, Emu(body.height).pt, BODY_SIZES)
        for n, (size, page) in enumerate(pages):
            slide = self.prs.slides.add_slide(layout)
            _fill(slide.shapes.title, [(title if n == 0 else f"{title}（续）", 0)], (36, 32, 28, 24, 20))
            _fill(slide.placeholders[1], page, (size,))
            _notes(slide, notes if n == 0 else "")

    def closing(self, title: str, lines: list[str], url: str | None) -> None:
        layout = self.prs.slide_layouts[CONTENT]
        slide = self.prs.slides.add_slide(layout)
        _fill(slide.shapes.title, [(title, 0)], (36, 32))
        body = slide.placeholders[1]
        if url:  # the QR code takes the lower right corner; the text keeps the rest of the box
            left, top, width, height = body.left, body.top, body.width, body.height
            side = Emu(height // 2)
            slide.shapes.add_picture(io.BytesIO(png(url, scale=8)), left + width - side, top + height - side,
                                     side, side)
            body.left, body.top, body.width, body.height = left, top, width, Emu(height - side)
        _fill(body, [(line, 0) for line in lines], (24, 20, 18, 16, 14))

    def save(self, today) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return reproducible(out.getvalue(), today)


def build(handout: Handout) -> bytes:
    """The registry's builder (formats.py, scope `course`): the course's slides."""
    course, content = handout.record, handout.content
    deck = Deck(content.today)
    preparation = [plain(p) for p in course.preparation or ()]
    deck.title_slide(plain(course.title), [f"培训对象：{plain(course.audience)}", f"总时长：{plain(course.duration)}"],
                     "课前准备：\n" + "\n".join(preparation) if preparation else "")
    if course.objectives:
        deck.bullets("课程目标", [(plain(o), 0) for o in course.objectives])
    deck.bullets("课程安排", [(_session_title(s, n), 0) for n, s in enumerate(course.sessions, 1)])
    for n, session in enumerate(course.sessions, 1):
        _session(deck, content, session, n)
    _closing(deck, handout)
    return deck.save(content.today)


def _session_title(session, n: int) -> str:
    return f"第 {n} 节　{plain(session.title)}（{session.minutes} 分钟）"


def _session(deck: Deck, content, session, n: int) -> None:
    deck.bullets(_session_title(session, n), [("学习目标", 0), *((plain(o), 1) for o in session.objectives or ())],
                 "讲授提示：\n" + "\n".join(paragraphs(session.notes)) if session.notes else "")
    for step in _records(content, "step", session.steps):
        deck.bullets(f"第 {step.order} 步　{plain(step.title)}", _step_items(step))
    for policy in _records(content, "policy", session.policies):
        deck.bullets(f"政策：{plain(policy.title)}", _policy_items(policy))
    for case in _records(content, "case-study", session.case_studies):
        deck.bullets(f"案例：{plain(case.title)}", _case_items(case))
    terms = _records(content, "glossary", session.glossary)
    if terms:
        deck.bullets("术语", [(f"{plain(t.term)}：{plain(t.definition)}", 0) for t in terms])
    if session.discussion:
        deck.bullets("讨论题", [(plain(q), 0) for q in session.discussion])
    if session.exercises:
        guidance = [f"练习 {i}：{plain(e.guidance)}" for i, e in enumerate(session.exercises, 1) if e.guidance]
        deck.bullets("练习", [(f"{i}. {plain(e.task)}", 0) for i, e in enumerate(session.exercises, 1)],
                     "参考要点：\n" + "\n".join(guidance) if guidance else "")
    if session.quiz:
        deck.bullets("小测验", _quiz_items(session.quiz), "测验答案：\n" + "\n".join(_answers(session.quiz)))


def _records(content, kind: str, ids) -> list[Record]:
    return [content.get(kind, i) for i in ids or ()]


def _step_items(step) -> list[tuple[str, int]]:
    items = [(f"目标：{plain(step.goal)}", 0), ("任务", 0)]
    items += [(plain(t.what), 1) for t in step.tasks]
    items += [("检查清单", 0)] + [(f"□ {plain(c)}", 1) for c in step.checklist]
    return items


def _policy_items(policy) -> list[tuple[str, int]]:
    issued = f"（{policy.issued}）" if policy.issued else ""
    items = [(f"发布：{plain(policy.issuer)}{issued}　状态：{plain(policy.status)}", 0)]
    if policy.key_provisions:
        return items + [("要点", 0)] + [(plain(k), 1) for k in policy.key_provisions]
    return items + [(plain(policy.summary), 0)]


def _case_items(case) -> list[tuple[str, int]]:
    items = [(f"地点：{plain(place(case.location))}", 0), ("做法", 0), (plain(case.summary), 1)]
    if case.outcomes:
        items += [("成效", 0)] + [(plain(o), 1) for o in case.outcomes]
    if case.lessons:
        items += [("经验启示", 0)] + [(plain(x), 1) for x in case.lessons]
    return items


def _quiz_items(quiz) -> list[tuple[str, int]]:
    items = []
    for i, q in enumerate(quiz, 1):
        items.append((f"{i}. {plain(q.question)}", 0))
        if q.options:
            items.append(("　".join(f"{'ABCDEFGHIJ'[k]}. {plain(o)}" for k, o in enumerate(q.options)), 1))
    return items


def _answers(quiz) -> list[str]:
    return [f"{i}. {plain(q.answer)}" + (f"（{plain(q.explanation)}）" if q.explanation else "")
            for i, q in enumerate(quiz, 1)]


def _closing(deck: Deck, handout: Handout) -> None:
    site = handout.site
    name = site.name if site and site.name else "本指南"
    url = site.page(f"courses/{handout.record.id}.md") if site else None
    if url:
        lines = [f"课程材料和全文都在《{name}》网站上：", url, "扫描右下角二维码即可打开本课程页面。"]
    else:
        lines = [f"课程材料、学员讲义和全文见《{name}》网站的“培训课程”栏目。", "网址请向本地发布指南的同事索取。"]
    deck.closing("课后继续学习", lines, url)


def _fill(shape, items: list[tuple[str, int]], sizes: tuple[int, ...]) -> None:
    """Put `items` in a placeholder at the largest of `sizes` that fits (else the smallest)."""
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    size = fit.largest(items, Emu(shape.width).pt, Emu(shape.height).pt, sizes)
    for i, (text, level) in enumerate(items):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.level = level
        _run(paragraph, text, size)


def _run(paragraph, text: str, size: int | None = None) -> None:
    run = paragraph.add_run()
    run.text = text
    if size:
        run.font.size = Pt(size)
    run.font.name = EAST_ASIAN_FONT
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN")
    rpr.set("altLang", "en-US")
    ea = rpr.makeelement(qn("a:ea"), {"typeface": EAST_ASIAN_FONT})
    rpr.find(qn("a:latin")).addnext(ea)


def _notes(slide, text: str) -> None:
    if not text:
        return
    frame = slide.notes_slide.notes_text_frame
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(paragraph, line)


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time())
