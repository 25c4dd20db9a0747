"""A course as slides (PPTX, python-pptx): what a trainer shows while the handout is on the desks.

Built from the same records as the handout (the course and the steps, policies, cases and terms
its sessions name), so changing a step changes the slides. The deck uses the template's real
layouts and placeholders (title, title and content), so a trainer can apply their own design in
PowerPoint or WPS. Every run names an East Asian font; teaching notes, exercise guidance and quiz
answers go in the speaker notes, never on a slide. Long lists continue on a further slide
(`fit.py` estimates what fits a placeholder, calibrated against LibreOffice Impress).

Slides are 16:9 (`aspect="4:3"` for an old projector): the template's master and layouts are
widened, not stretched. Every content slide's title is set at one size, every slide but the
first carries its number (a slide-number field, so it follows when a trainer reorders), and a
record's facts are the line pages/facts.py makes for every output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..pages.facts import facts, trimmed
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
TITLE_SIZES = (32, 28, 24)  # pt: 32 for every title; smaller only for a title over two lines
GLOSSARY_SIZES = (24, 20)  # pt: definitions are prose; never smaller than 20 pt
GLOSSARY_BUDGET = 240  # ems of text on one glossary slide: more terms go to the next slide
SLIDE_NUMBER_FIELD = "{B6F15C1E-6C4B-4D0F-9E4E-5A3A2B1C0D01}"  # fixed: the same deck gives the same bytes
WIDTHS = {"16:9": Emu(12192000), "4:3": Emu(9144000)}  # slide widths; the height stays 7.5 in


class Deck:
    """A presentation being filled slide by slide."""

    def __init__(self, today, aspect: str = "16:9") -> None:
        self.prs = Presentation()
        _widen(self.prs, WIDTHS[aspect])
        props = self.prs.core_properties
        props.author = props.last_modified_by = "pilotguide"
        props.language = "zh-CN"
        props.created = props.modified = _stamp(today)
        props.revision = 1

    def title_slide(self, title: str, subtitle: list[str], notes: str = "") -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[TITLE])
        _fill(slide.shapes.title, [(title, 0)], (40, 36, 32, 28, 24), fit.NO_INDENTS)
        _fill(slide.placeholders[1], [(line, 0) for line in subtitle], (24, 20, 18, 16), fit.NO_INDENTS)
        _notes(slide, notes)

    def bullets(self, title: str, items: list[tuple[str, int]], notes: str = "", sizes=BODY_SIZES,
                budget: float | None = None) -> None:
        """One or more "title and content" slides: items are (text, level); continued as （续）."""
        layout = self.prs.slide_layouts[CONTENT]
        body = layout.placeholders[1]
        pages = fit.paginate(items, Emu(body.width).pt, Emu(body.height).pt, sizes, budget=budget)
        for n, (size, page) in enumerate(pages):
            slide = self.prs.slides.add_slide(layout)
            _fill(slide.shapes.title, [(title if n == 0 else f"{title}（续）", 0)], TITLE_SIZES, fit.NO_INDENTS)
            _fill(slide.placeholders[1], page, (size,))
            _notes(slide, notes if n == 0 else "")
            _number(slide, len(self.prs.slides))

    def body_width(self) -> float:
        """The width (pt) of the content layout's text box."""
        return Emu(self.prs.slide_layouts[CONTENT].placeholders[1].width).pt

    def closing(self, title: str, lines: list[str], url: str | None) -> None:
        layout = self.prs.slide_layouts[CONTENT]
        slide = self.prs.slides.add_slide(layout)
        _fill(slide.shapes.title, [(title, 0)], TITLE_SIZES, fit.NO_INDENTS)
        body = slide.placeholders[1]
        if url:  # the QR code takes the lower right corner; the text keeps the rest of the box
            left, top, width, height = body.left, body.top, body.width, body.height
            side = Emu(height // 2)
            slide.shapes.add_picture(io.BytesIO(png(url, scale=8)), left + width - side, top + height - side,
                                     side, side)
            body.left, body.top, body.width, body.height = left, top, width, Emu(height - side)
            room = Emu(body.width).pt - fit.BODY_INDENTS[0]
            lines = [_address(line, room, 24) if line == url else line for line in lines]
        _fill(body, [(line, 0) for line in lines], (24, 20, 18, 16, 14))
        _number(slide, len(self.prs.slides))

    def save(self, today) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return reproducible(out.getvalue(), today)


def build(handout: Handout, aspect: str = "16:9") -> bytes:
    """The registry's builder (formats.py, scope `course`): the course's slides."""
    course, content = handout.record, handout.content
    deck = Deck(content.today, aspect)
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
        deck.bullets(f"第 {step.order} 步　{plain(step.title)}", _step_items(step, deck.body_width()))
    for policy in _records(content, "policy", session.policies):
        deck.bullets(f"政策：{plain(policy.title)}", _policy_items(policy, deck.body_width()))
    for case in _records(content, "case-study", session.case_studies):
        deck.bullets(f"案例：{plain(case.title)}", _case_items(case, deck.body_width()))
    terms = _records(content, "glossary", session.glossary)
    if terms:
        deck.bullets("术语", [(f"{plain(t.term)}：{plain(t.definition)}", 0) for t in terms], sizes=GLOSSARY_SIZES,
                     budget=GLOSSARY_BUDGET)
    if session.discussion:
        deck.bullets("讨论题", [(plain(q), 0) for q in session.discussion])
    if session.exercises:
        guidance = [f"练习 {i}：{plain(e.guidance)}" for i, e in enumerate(session.exercises, 1) if e.guidance]
        deck.bullets("练习", [(f"{i}. {plain(e.task)}", 0) for i, e in enumerate(session.exercises, 1)],
                     "参考要点：\n" + "\n".join(guidance) if guidance else "")
    if session.quiz:
        deck.bullets("小测验", _quiz_items(session.quiz, deck.body_width()),
                     "测验答案：\n" + "\n".join(_answers(session.quiz)))


def _records(content, kind: str, ids) -> list[Record]:
    return [content.get(kind, i) for i in ids or ()]


def _facts(record, width: float) -> list[tuple[str, int]]:
    """The record's facts (pages/facts.py) as lines of `提出机关：…　层级：…`, each as many facts as
    one line holds at the largest body size: a line breaks between facts, never inside one."""
    out: list[str] = []
    for fact in (f"{f.label}：{plain(f.value)}" for f in facts(record)):
        joined = f"{out[-1]}　{fact}" if out else fact
        if out and fit.lines(joined, width - fit.BODY_INDENTS[0], max(BODY_SIZES)) == 1:
            out[-1] = joined
        else:
            out.append(fact)
    return [(line, 0) for line in out]


def _step_items(step, width: float) -> list[tuple[str, int]]:
    items = [*_facts(step, width), (f"目标：{plain(step.goal)}", 0), ("任务", 0)]
    items += [(plain(trimmed(t.what)) + "。", 1) for t in step.tasks]
    items += [("检查清单", 0)] + [(f"□ {plain(c)}", 1) for c in step.checklist]
    return items


def _policy_items(policy, width: float) -> list[tuple[str, int]]:
    items = _facts(policy, width)
    if policy.key_provisions:
        return items + [("要点", 0)] + [(plain(k), 1) for k in policy.key_provisions]
    return items + [(plain(policy.summary), 0)]


def _case_items(case, width: float) -> list[tuple[str, int]]:
    items = [*_facts(case, width), ("做法", 0), (plain(case.summary), 1)]
    if case.outcomes:
        items += [("成效", 0)] + [(plain(o), 1) for o in case.outcomes]
    if case.lessons:
        items += [("经验启示", 0)] + [(plain(x), 1) for x in case.lessons]
    return items


def _quiz_items(quiz, width: float) -> list[tuple[str, int]]:
    """Each question, then its options: on one line when they fit one line at the largest body
    size, else one option a line, so no option is ever broken in the middle."""
    items = []
    for i, q in enumerate(quiz, 1):
        items.append((f"{i}. {plain(q.question)}", 0))
        options = [f"{'ABCDEFGHIJ'[k]}. {plain(o)}" for k, o in enumerate(q.options or ())]
        line = "　　".join(options)
        if options and fit.lines(line, width - fit.BODY_INDENTS[1], max(BODY_SIZES)) == 1:
            items.append((line, 1))
        else:
            items += [(option, 1) for option in options]
    return items


def _answers(quiz) -> list[str]:
    return [f"{i}. {plain(q.answer)}" + (f"（{plain(q.explanation)}）" if q.explanation else "")
            for i, q in enumerate(quiz, 1)]


def _closing(deck: Deck, handout: Handout) -> None:
    site = handout.site
    name = site.name if site and site.name else "本指南"
    # The participants' handout: the lesson plan is one tap from the trainer's answers.
    url = site.page(f"courses/{handout.record.id}-handout.md") if site else None
    if url:
        lines = [f"学员讲义和全文都在《{name}》网站上：", url, "扫描右下角二维码即可打开学员讲义。"]
    else:
        lines = [f"课程材料、学员讲义和全文见《{name}》网站的“培训课程”栏目。", "网址请向本地发布指南的同事索取。"]
    deck.closing("课后继续学习", lines, url)


def _address(url: str, width: float, size: int) -> str:
    """A web address with line breaks ("\n") after slashes where it would not fit a line: never
    broken by the line wrap at a hyphen, so it reads back as the real address."""
    lines: list[str] = []
    for part in (p for p in re.split(r"(?<=/)(?!/)", url) if p):
        if lines and fit.lines(lines[-1] + part, width, size) == 1:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _fill(shape, items: list[tuple[str, int]], sizes: tuple[int, ...], indents=fit.BODY_INDENTS) -> None:
    """Put `items` in a placeholder at the largest of `sizes` that fits (else the smallest)."""
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    size = fit.largest(items, Emu(shape.width).pt, Emu(shape.height).pt, sizes, indents)
    for i, (text, level) in enumerate(items):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.level = level
        for n, part in enumerate(text.split("\n")):  # "\n": a line break inside the paragraph
            if n:
                paragraph.add_line_break()
            _run(paragraph, part, size)


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


def _widen(prs, width: Emu) -> None:
    """Set the slide width, moving the master's and layouts' placeholders with it (scaled across,
    as PowerPoint does when a deck changes from 4:3 to 16:9): python-pptx's template is 4:3."""
    ratio = width / prs.slide_width
    if ratio == 1:
        return
    layouts = [(shape, shape.left, shape.width) for layout in prs.slide_layouts for shape in layout.placeholders]
    for shape in prs.slide_master.placeholders:
        shape.left, shape.width = Emu(round(shape.left * ratio)), Emu(round(shape.width * ratio))
    for shape, left, shape_width in layouts:  # those with their own position (others follow the master)
        if shape.left != round(left * ratio):
            shape.left, shape.width = Emu(round(left * ratio)), Emu(round(shape_width * ratio))
    prs.slide_width = width


def _number(slide, number: int) -> None:
    """The slide's number in the master's slide-number box: a field, so PowerPoint, WPS and
    Impress renumber it when slides move; `number` is its text until they do."""
    box = slide.slide_layout.slide_master.placeholders
    where = next(s for s in box if s.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER)
    shape = slide.shapes.add_textbox(where.left, where.top, where.width, where.height)
    shape.name = "Slide Number"
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT
    field = paragraph._p.makeelement(qn("a:fld"), {"id": SLIDE_NUMBER_FIELD, "type": "slidenum"})
    rpr = field.makeelement(qn("a:rPr"), {"lang": "zh-CN", "sz": "1400"})
    rpr.append(rpr.makeelement(qn("a:solidFill"), {}))
    rpr[0].append(rpr.makeelement(qn("a:srgbClr"), {"val": "595959"}))
    text = field.makeelement(qn("a:t"), {})
    text.text = str(number)
    field.extend([rpr, text])
    paragraph._p.append(field)


def _notes(slide, text: str) -> None:
    if not text:
        return
    frame = slide.notes_slide.notes_text_frame
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(paragraph, line)


def _stamp(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time())
