"""One build in a fresh process, timed by phase; prints one JSON line. Run by benchmarks/__main__.

    python -m benchmarks.buildrun pilotguide PROJECT   # what `pilotguide build` does, timed
    python -m benchmarks.buildrun mkdocs PROJECT       # plain `mkdocs build` of a Markdown project

A fresh process per build keeps peak memory (ru_maxrss) and warm caches honest.

`phases` add up to the generator's time in this process: load (reading and composing YAML files),
validate, resolve, render. `spans` holds figures that overlap the phases: `records`, the wall
time of loading and validating every record file (load_records), `records_cpu` the CPU time of
this process in it; on a shared machine the wall time mostly measures the others' load.
`lexicon` (and `lexicon_cpu`): cutting the search text with jieba for the search index, where
`runs_cut` runs were cut by jieba (the others came from the stored cuts) of the `runs` whose cuts
the build holds at the end.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
START = time.perf_counter()
PHASES: dict[str, float] = {}
SPANS: dict[str, float] = {}


def timed(name: str, func, into: dict[str, float] = PHASES):
    """Wrap func so that the time spent in it adds up under into[name] (PHASES unless told)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            into[name] = into.get(name, 0.0) + time.perf_counter() - t

    return wrapper


def timed_cpu(name: str, func):
    """Wrap func so that its wall time adds up under SPANS[name], and its CPU time, this process's
    and that of the children it waited for, under SPANS[name + "_cpu"] and [name + "_cpu_children"]."""

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        here, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
        try:
            return timed(name, func, SPANS)(*args, **kwargs)
        finally:
            for key, value in ((f"{name}_cpu", cpu(resource.RUSAGE_SELF) - here),
                               (f"{name}_cpu_children", cpu(resource.RUSAGE_CHILDREN) - children)):
                SPANS[key] = SPANS.get(key, 0.0) + value

    return wrapper


def instrument() -> None:
    """Time the generator's phases where content/gather.py and site/guide.py call them."""
    from pilotguide.content import gather
    from pilotguide.site import recipe

    gather.load_records = timed_cpu("records", gather.load_records)
    gather.load_file = timed("load", gather.load_file)
    gather.validate = timed("validate", gather.validate)
    for name in ("check_ids", "check_references", "order_records"):
        setattr(gather, name, timed("resolve", getattr(gather, name)))
    recipe.render_pages = timed("render", recipe.render_pages)
    from pilotguide.site.search import index

    index.lexicon = counted_cuts(timed_cpu("lexicon", index.lexicon))


def counted_cuts(lexicon):
    """Count under SPANS["runs_cut"] the runs of search text jieba cut (search.Cuts.cut_runs; the
    others came from the store of cuts), and under SPANS["runs"] the runs whose cuts it holds."""

    @functools.wraps(lexicon)
    def wrapper(texts, terms=(), cuts=None, *args, **kwargs):
        words = lexicon(texts, terms, cuts, *args, **kwargs)
        if cuts is not None and hasattr(cuts, "cut_runs"):
            SPANS["runs_cut"] = SPANS.get("runs_cut", 0) + len(cuts.cut_runs)
            SPANS["runs"] = SPANS.get("runs", 0) + len(cuts.runs)
        return words

    return wrapper


def build_pilotguide(root: Path) -> None:
    from pilotguide.content.gather import load_content
    from pilotguide.site.build import build_site

    instrument()
    content = load_content(root)  # as `pilotguide build` does: check first, then build
    build_site(root / "mkdocs.yml", content=content)


def build_mkdocs(root: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(root / "mkdocs.yml")))


def main(argv: list[str]) -> None:
    kind, root = argv[0], Path(argv[1]).resolve()
    if kind == "pilotguide":
        build_pilotguide(root)
    else:
        build_mkdocs(root)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # subprocesses: a browser printing PDFs without Pango
    print(json.dumps({"wall": time.perf_counter() - START, "cpu": usage.ru_utime + usage.ru_stime,
                      "cpu_children": children.ru_utime + children.ru_stime,
                      "peak_mib": usage.ru_maxrss / 1024, "phases": PHASES, "spans": SPANS}))


if __name__ == "__main__":
    main(sys.argv[1:])
