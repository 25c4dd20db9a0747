"""A synthetic guide for benchmarks: N case studies plus the policies and steps they cite.

Everything here is made up (place names, organisations, numbers) and lives only in benchmarks/,
never in the shipped guide. Text is assembled from a phrase bank so that it reads like the
shipped case studies (realistic Chinese sentences of realistic length: about 1,500 characters a
case) while staying deterministic: the same (n, seed) always writes the same files, byte for
byte.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

from . import phrases as P

STEP_PLAN = (  # (phase, how many steps) in reading order; the shipped vocabulary's phases
    ("培育发展", 5), ("引导作用", 4), ("扶持体系", 3))
VOCABULARIES = {
    "phases": [phase for phase, _ in STEP_PLAN],
    "areas": ["城市社区", "农村社区"],
    "activity_types": ["为民服务", "公益慈善", "邻里互助", "文体娱乐", "农村生产技术服务"],
    "roles": ["政治引领", "矛盾化解", "公共服务", "文化建设"],
    "support_measures": ["发展基金与孵化", "政府购买服务", "表彰激励"],
}
LEVELS = ["国家", "省", "市", "县区", "街道乡镇"]
MKDOCS_YML = """\
site_name: 城乡社区社会组织培育指南（基准测试用合成数据）
use_directory_urls: false
theme:
  name: material
  language: zh
  font: false
  features: [navigation.tabs, navigation.indexes]
plugins:
  - search
  - pilotguide
markdown_extensions: [tables, attr_list, admonition, pymdownx.tasklist]
nav:
  - 首页: index.md
  - 政策: policies/index.md
  - 培育步骤: steps/index.md
  - 试点案例: case-studies/index.md
  - 术语表: glossary.md
"""
HOME = "# 合成数据指南\n\n本站点由基准测试生成，内容全部为虚构，仅用于测量构建速度。\n"


def counts(n: int) -> tuple[int, int]:
    """Policies and steps for a guide of n cases: policies grow with the guide, steps do not."""
    return max(8, n // 20), sum(k for _, k in STEP_PLAN)


class Writer:
    """Draws sentences from one seeded random stream (never the global one)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, items, k: int | None = None):
        return self.rng.choice(items) if k is None else self.rng.sample(items, k)

    def sentence(self, **names: str) -> str:
        template = self.pick(P.SENTENCES)
        values = {"org": names.get("org") or self.org(), "place": names.get("place", "本村（社区）"),
                  "group": self.pick(P.GROUPS), "activity": self.pick(P.ACTIVITIES),
                  "effect": self.pick(P.EFFECTS), "measure": self.pick(P.MEASURES),
                  "num": str(self.rng.randint(3, 480)), "month": str(self.rng.randint(1, 12))}
        return template.format(**values)

    def paragraph(self, sentences: int, **names: str) -> str:
        return "".join(self.sentence(**names) for _ in range(sentences))

    def org(self) -> str:
        return self.pick(P.ORG_PREFIXES) + self.pick(P.ORG_KINDS)

    def place(self) -> dict[str, str]:
        province, cities = self.pick(P.PROVINCES)
        village = self.pick(P.SYLLABLES) + self.pick(P.SYLLABLES) + self.pick(["村", "社区", "屯", "嘎查"])
        return {"province": province, "city": self.pick(cities),
                "district": self.pick(P.SYLLABLES) + self.pick(["区", "县", "市"]),
                "street": self.pick(P.SYLLABLES) + self.pick(P.SYLLABLES) + self.pick(["街道", "镇", "乡"]),
                "community": village}

    def date(self, first: int = 2009, last: int = 2024) -> str:
        return f"{self.rng.randint(first, last)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"


def source(w: Writer) -> list[dict]:
    return [{"title": w.pick(P.SOURCE_TITLES), "issuer": w.pick(P.ISSUERS), "date": w.date(2015, 2024),
             "note": "合成数据，仅供基准测试。"}]


def policy(w: Writer, i: int, total: int) -> dict:
    related = sorted({f"policy-{w.rng.randrange(total):04d}" for _ in range(2)} - {f"policy-{i:04d}"})
    return {
        "id": f"policy-{i:04d}", "title": w.pick(P.ISSUERS) + "关于" + w.pick(P.POLICY_TOPICS) + "的意见",
        "summary": w.paragraph(2), "issuer": w.pick(P.ISSUERS), "level": w.pick(LEVELS),
        "issued": w.date(2009, 2023), "status": w.pick(["现行有效", "现行有效", "现行有效", "已修订"]),
        "key_provisions": [w.sentence() for _ in range(w.rng.randint(3, 6))],
        "related_policies": related, "body": w.paragraph(5), "sources": source(w), "updated": "2026-01-15",
    }


def step(w: Writer, phase: str, order: int, policies: int) -> dict:
    topic = P.STEP_TOPICS[(order - 1) % len(P.STEP_TOPICS)]
    return {
        "id": f"step-{order:02d}", "title": topic, "summary": w.paragraph(2), "phase": phase, "order": order,
        "goal": w.sentence(), "tasks": [{"what": w.sentence(), "who": w.pick(P.ISSUERS), "output": w.pick(P.OUTPUTS)}
                                        for _ in range(w.rng.randint(2, 4))],
        "checklist": [w.sentence() for _ in range(w.rng.randint(3, 5))],
        "pitfalls": [w.sentence() for _ in range(2)],
        "policies": sorted({f"policy-{w.rng.randrange(policies):04d}" for _ in range(3)}),
        "body": w.paragraph(4), "sources": source(w), "updated": "2026-01-15",
    }


def case(w: Writer, i: int, policies: int, steps: int) -> dict:
    where = w.place()
    name = where["community"]
    orgs = [{"name": name + w.org(), "description": w.sentence(place=name)} for _ in range(w.rng.randint(2, 4))]
    def section(heading: str) -> str:
        paragraphs = (w.paragraph(w.rng.randint(3, 5), place=name, org=orgs[0]["name"]) for _ in range(2))
        return f"## {heading}\n\n" + "\n\n".join(paragraphs)

    body = "\n\n".join(section(heading) for heading in w.pick(P.HEADINGS, 3))
    return {
        "id": f"case-{i:05d}", "title": f"{where['city']}{where['district']}{name}：{w.pick(P.CASE_TOPICS)}",
        "summary": w.paragraph(2, place=name), "location": where, "area": w.pick(VOCABULARIES["areas"]),
        "started": w.date()[:4], "timeline": [{"date": w.date(), "event": w.sentence(place=name)} for _ in range(3)],
        "organisations": orgs,
        "activity_types": w.pick(VOCABULARIES["activity_types"], w.rng.randint(1, 3)),
        "roles": w.pick(VOCABULARIES["roles"], w.rng.randint(1, 2)),
        "support_measures": w.pick(VOCABULARIES["support_measures"], w.rng.randint(1, 2)),
        "steps": sorted(f"step-{k:02d}" for k in w.pick(range(1, steps + 1), 3)),
        "policies": sorted({f"policy-{w.rng.randrange(policies):04d}" for _ in range(2)}),
        "outcomes": [w.sentence(place=name) for _ in range(3)], "lessons": [w.sentence(place=name) for _ in range(2)],
        "body": body, "sources": source(w), "updated": "2026-01-15",
    }


def course(w: Writer, i: int, cases: int, policies: int, steps: int, terms: int) -> dict:
    """A one-day course of four sessions drawing on steps, policies, cases and terms (made up)."""
    def session(k: int) -> dict:
        return {"title": f"第 {k} 讲：" + w.pick(P.STEP_TOPICS), "minutes": 45, "objectives": [w.sentence()],
                "steps": [f"step-{w.rng.randint(1, steps):02d}"],
                "policies": sorted({f"policy-{w.rng.randrange(policies):04d}" for _ in range(2)}),
                "case_studies": sorted({f"case-{w.rng.randrange(cases):05d}" for _ in range(2)}),
                "glossary": [f"term-{w.rng.randrange(terms):02d}"], "notes": w.sentence(),
                "discussion": [w.sentence()],
                "quiz": [{"question": w.sentence(), "options": [w.pick(P.OUTPUTS), w.pick(P.OUTPUTS)],
                          "answer": "A", "explanation": w.sentence()}],
                "exercises": [{"task": w.sentence(), "guidance": w.sentence()}]}
    return {"id": f"course-{i:02d}", "title": f"培训课程 {i + 1}：" + w.pick(P.CASE_TOPICS), "summary": w.paragraph(1),
            "audience": "乡镇（街道）和村（社区）干部", "duration": "一天", "objectives": [w.sentence()],
            "preparation": ["打印讲义"], "sessions": [session(k) for k in range(1, 5)], "updated": "2026-01-15"}


SHIPPED_PLUGIN = "  - pilotguide:\n      book: true\n"  # the shipped mkdocs.yml: course downloads and the book on


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml emitter: 10x faster
    """Multi-line text as literal blocks (`body: |`), the way people write it by hand."""


def _text(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def generate(root: Path, n: int, seed: int = 7, courses: int = 0, book: bool = False) -> Path:
    """Write a complete project (mkdocs.yml, docs/, content) with n case studies into `root`;
    `courses` one-day courses (each makes two handouts as PDF and DOCX and a deck of slides) and
    `book` the whole-guide book on, as the shipped guide has them."""
    if root.exists():
        shutil.rmtree(root)
    n_policies, n_steps = counts(n)
    w = Writer(seed)
    (root / "docs").mkdir(parents=True)
    config = MKDOCS_YML.replace("  - pilotguide\n", SHIPPED_PLUGIN) if book else MKDOCS_YML
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    (root / "vocabularies.yaml").write_text(yaml.safe_dump(VOCABULARIES, allow_unicode=True), encoding="utf-8")
    for i in range(n_policies):
        dump(root / "policies" / f"policy-{i:04d}.yaml", policy(w, i, n_policies))
    order = 0
    for phase, many in STEP_PLAN:
        for _ in range(many):
            order += 1
            dump(root / "steps" / f"step-{order:02d}.yaml", step(w, phase, order, n_policies))
    for i, (term, definition) in enumerate(P.TERMS):
        dump(root / "glossary" / f"term-{i:02d}.yaml",
             {"id": f"term-{i:02d}", "term": term, "definition": definition, "sources": source(w)})
    for i in range(n):
        dump(root / "case-studies" / f"case-{i:05d}.yaml", case(w, i, n_policies, n_steps))
    for i in range(courses):  # drawn after the cases, so the cases are the same with or without courses
        dump(root / "courses" / f"course-{i:02d}.yaml", course(w, i, n, n_policies, n_steps, len(P.TERMS)))
    return root
