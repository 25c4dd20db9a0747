"""Benchmark pilotguide against plain MkDocs + Material: `python -m benchmarks` (or `make bench`).

For each N (default 100 and 1,000; `--big` adds 10,000) it writes a synthetic guide of N case
studies and prints, measured in this one run: generator time and its share of the build, the
full `pilotguide build` time and per-page cost, the naive site (same pages, plain MkDocs +
Material, every page in the nav) and the ratio, peak memory, site size, search index bytes
against Material's default for the same pages, the largest generated page. Then, at the largest
N, repeated builds (unchanged, one case edited: the build cache); the
save-to-updated-page time under `pilotguide serve` (body and title edits, median of five saves);
and the bytes a first search downloads with each search backend. The whole-guide book's pages and
cost at 100 and 1,000 cases (benchmarks/book.py); and, with the shipped config (course downloads
and the book on: `--shipped-n`, default 1,000 and 1,200 cases), `pilotguide build` cold, unchanged
and after one edit beside plain MkDocs + Material building the same pages with the same nav.
Then the import time of a filled collection workbook of 1,000 and 10,000 rows (benchmarks/intake.py).
Each build runs in a fresh process (benchmarks/buildrun.py). Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import corpus, edit, intake, layers, searchbytes, sites, startup

TARGETS = ("generator ≤ 5% of build; per page at 10,000 ≤ 1.25× per page at 1,000; ≥ 4× faster than naive at 1,000; "
           "search index ≤ 0.55× Material's default; no page over 300 KB; save → page ≤ 1 s at 1,000, ≤ 3 s at 10,000; "
           "unchanged rebuild ≤ 0.25× and one-edit rebuild ≤ 0.33× the cold build, also with the shipped config "
           "(courses, book), and less than plain MkDocs; the book at 1,000 cases ≤ 1/3 of before issue 24; "
           "a county guide on a 1,000-case base ≤ 1.10× the base alone")
PAGE_LIMIT = 300_000
CACHE = ".pilotguide-cache"


def largest_page(site: Path) -> tuple[int, str]:
    """The biggest HTML page of a built site: (bytes, path)."""
    return max((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")
               if "pagefind" not in p.parts)


def run_build(kind: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.buildrun", kind, str(root)], capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        raise SystemExit(f"{kind} build of {root} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_book(root: Path, full_cases: int = 50) -> dict:
    """The whole-guide book of `root`, timed by phase in a fresh process (benchmarks/book.py)."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "benchmarks.book", str(root), str(full_cases)], capture_output=True,
                         text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        raise SystemExit(f"book of {root} failed:\n{out.stderr[-3000:]}")
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "wall": time.perf_counter() - started}


def pages_of(site: Path) -> int:
    """HTML pages made from Markdown (not 404.html, not Pagefind's or the theme's files)."""
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html" and "pagefind" not in p.parts)


def index_bytes(site: Path) -> int:
    path = site / "search" / "search_index.json"
    return path.stat().st_size if path.is_file() else 0


def measure_size(n: int, work: Path, args) -> dict:
    print(f"== N = {n:,}", flush=True)
    project = corpus.generate(work / f"guide-{n}", n, seed=args.seed)
    shutil.rmtree(project / CACHE, ignore_errors=True)  # a cold build: nothing to reuse
    ours = run_build("pilotguide", project)
    site = project / "site"
    row = {"n": n, "pages": pages_of(site), "ours": ours, "site_bytes": sites.size_of(site),
           "index_bytes": index_bytes(site), "largest": largest_page(site)}
    print(f"   largest page: {row['largest'][0]:,} bytes ({row['largest'][1]})", flush=True)
    row["generator"] = sum(ours["phases"].values())  # phases do not overlap (spans do)
    print(f"   pilotguide build: {ours['wall']:.1f} s", flush=True)
    if n <= args.naive_max:
        naive = sites.markdown_project(project, work / f"naive-{n}", full_nav=True)
        row["naive"] = run_build("mkdocs", naive)
        row["naive_site_bytes"] = sites.size_of(naive / "site")
        row["default_index_bytes"] = index_bytes(naive / "site")
        print(f"   naive mkdocs build: {row['naive']['wall']:.1f} s", flush=True)
        shutil.rmtree(naive / "site")
    else:  # the naive nav makes every page carry N links: hours at 10,000. The plain build gives the index.
        plain = sites.markdown_project(project, work / f"plain-{n}", full_nav=False)
        row["plain"] = run_build("mkdocs", plain)
        row["default_index_bytes"] = index_bytes(plain / "site")
        print(f"   plain mkdocs build (for the default index): {row['plain']['wall']:.1f} s", flush=True)
        shutil.rmtree(plain / "site")
    return row


def edited_build(project: Path) -> dict:
    """`pilotguide build` after retitling one case (put back afterwards)."""
    case = project / "case-studies" / "case-00005.yaml"
    original = case.read_text(encoding="utf-8")
    case.write_text(edit.edited(original, "title", "改标题"), encoding="utf-8")
    try:
        return run_build("pilotguide", project)
    finally:
        case.write_text(original, encoding="utf-8")


def rebuilds(project: Path, cold: dict) -> dict:
    """After the cold build: the same guide again (all cached), and after one edit."""
    out = {"cold": cold, "warm": run_build("pilotguide", project)}
    out["edit"] = edited_build(project)
    print(f"   rebuilds: unchanged {out['warm']['wall']:.1f} s, one edit {out['edit']['wall']:.1f} s "
          f"(records loaded in {records_s(cold)})", flush=True)
    print(f"   {lexicon_s(out)}", flush=True)
    return out


def lexicon_s(r: dict) -> str:
    """The search lexicon's CPU seconds in the cold, unchanged and one-edit builds, and the runs of
    text jieba cut in each (the rest came from the stored cuts: search.Cuts)."""
    def one(key: str) -> str:
        spans = r[key].get("spans", {})
        runs = f", {spans['runs_cut']:,} of {spans['runs']:,} runs cut" if "runs_cut" in spans else ""
        return f"{key} {spans.get('lexicon_cpu', 0):.2f}{runs}"
    return "search lexicon, CPU s: " + "; ".join(one(k) for k in ("cold", "warm", "edit"))


def records_s(build: dict) -> str:
    """Loading and validating every record file (buildrun.py's spans): wall seconds (CPU seconds)."""
    spans = build.get("spans", {})
    return f"{spans.get('records', 0):.2f} ({spans.get('records_cpu', 0):.2f})"


# The book before issue 24 (benchmarks/README.md, 1,000 cases, every case in full): 1,326 A4 pages,
# WeasyPrint 142.9 + 22.8 CPU s, DOCX 4.6, Markdown and tree 2.9, load 0.8: about 174 CPU s.
BOOK_BEFORE = {"n": 1000, "pages": 1326, "cpu": 174.0}


def shipped_runs(n: int, work: Path, args) -> dict:
    """The shipped config (course downloads and the book on) at n cases: `pilotguide build` cold,
    unchanged and after one retitled case, beside plain MkDocs + Material building the pages
    `pilotguide generate` writes, with the same nav."""
    print(f"== shipped config (courses, book on), N = {n:,}", flush=True)
    project = corpus.generate(work / f"shipped-{n}", n, seed=args.seed, courses=args.courses, book=True)
    out = {"n": n, "courses": args.courses, "cold": run_build("pilotguide", project)}
    out["warm"] = run_build("pilotguide", project)
    out["edit"] = edited_build(project)
    plain = sites.markdown_project(project, work / f"shipped-plain-{n}", full_nav=False)
    out["plain"] = run_build("mkdocs", plain)
    shutil.rmtree(plain / "site", ignore_errors=True)
    print(f"   cold {out['cold']['wall']:.1f} s, unchanged {out['warm']['wall']:.1f} s, one edit "
          f"{out['edit']['wall']:.1f} s; plain MkDocs {out['plain']['wall']:.1f} s", flush=True)
    return out


def shipped_table(runs: list[dict]) -> str:
    def cell(b: dict) -> str:
        return f"{b['wall']:.1f} ({b['cpu'] + b.get('cpu_children', 0):.1f})"
    lines = ["| N cases | courses | cold s (CPU s) | unchanged s (CPU s) | ÷ cold (CPU) | one edit s (CPU s) "
             "| ÷ cold (CPU) | plain MkDocs + Material s (CPU s) |", "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        cold = r["cold"]
        ratio = {k: f"{r[k]['wall'] / cold['wall']:.2f} ({r[k]['cpu'] / cold['cpu']:.2f})" for k in ("warm", "edit")}
        lines.append(f"| {r['n']:,} | {r['courses']} | {cell(cold)} | {cell(r['warm'])} | {ratio['warm']} | "
                     f"{cell(r['edit'])} | {ratio['edit']} | {cell(r['plain'])} |")
    return "\n".join(lines)


def shipped_verdict(runs: list[dict]) -> list[str]:
    out = []
    for r in runs:
        for key, limit, label in (("warm", 0.25, "unchanged rebuild"), ("edit", 0.33, "one-edit rebuild")):
            cpu = r[key]["cpu"] / r["cold"]["cpu"]
            # judged by CPU, as above: on a shared machine wall seconds mostly measure the others' load
            less = r[key]["cpu"] < r["plain"]["cpu"]
            out.append(f"shipped config at {r['n']:,}: {label} ÷ cold {cpu:.2f} CPU, "
                       f"{r[key]['wall'] / r['cold']['wall']:.2f} wall ({'met' if cpu <= limit else 'NOT met'} "
                       f"by CPU, target ≤ {limit}); {r[key]['cpu']:.1f} CPU s ({r[key]['wall']:.1f} s wall) against "
                       f"plain MkDocs {r['plain']['cpu']:.1f} CPU s ({r['plain']['wall']:.1f} s wall) "
                       f"({'met' if less else 'NOT met'} by CPU, target: less)")
    return out


def book_table(books: list[dict]) -> str:
    lines = ["| N cases | cases in full up to | A4 pages | build s | CPU s | WeasyPrint layout CPU s | PDF MB "
             "| DOCX MB | CPU ms a page |", "|---|---|---|---|---|---|---|---|---|"]
    for b in books:
        cpu = sum(b["cpu"].values())
        lines.append(f"| {b['cases']:,} | {b['full_cases']:,} | {b['pages']:,} | {b['wall']:.1f} | {cpu:.1f} | "
                     f"{b['cpu']['weasyprint_layout']:.1f} | {b['pdf_bytes'] / 1e6:.1f} | {b['docx_bytes'] / 1e6:.2f} "
                     f"| {cpu / b['pages'] * 1000:.0f} |")
    before = BOOK_BEFORE
    lines.append(f"| {before['n']:,} (before issue 24) | all | {before['pages']:,} | — | {before['cpu']:.0f} "
                 "| 142.9 | 4.1 | 0.6 | 131 |")
    return "\n".join(lines)


def book_verdict(books: list[dict]) -> list[str]:
    out = []
    for b in books:
        if b["cases"] == BOOK_BEFORE["n"]:
            cpu = sum(b["cpu"].values())
            ratio = cpu / BOOK_BEFORE["cpu"]
            out.append(f"book at {b['cases']:,} cases: {cpu:.1f} CPU s, {ratio:.2f}× the book before issue 24 "
                       f"({'met' if ratio <= 1 / 3 else 'NOT met'}, target ≤ 1/3)")
    by_n = sorted(books, key=lambda b: b["cases"])
    if len(by_n) > 1:
        small, big = by_n[0], by_n[-1]
        per = [sum(b["cpu"].values()) / b["pages"] for b in (small, big)]
        out.append(f"book cost per page at {big['cases']:,} ÷ at {small['cases']:,}: {per[1] / per[0]:.2f}× "
                   "(linear in pages: about 1)")
    return out


def rebuild_table(r: dict, n: int) -> str:
    cold = r["cold"]

    def cell(b: dict) -> str:
        return f"{b['wall']:.1f} ({b['cpu'] + b.get('cpu_children', 0):.1f})"

    def ratio(b: dict) -> str:
        return f"{b['wall'] / cold['wall']:.2f} ({b['cpu'] / cold['cpu']:.2f})"
    return "\n".join([
        "| N cases | cold s (CPU s) | unchanged s (CPU s) | ÷ cold (CPU) | one edit s (CPU s) | ÷ cold (CPU) | "
        "load + validate s | render s |",
        "|---|---|---|---|---|---|---|---|",
        f"| {n:,} | {cell(cold)} | {cell(r['warm'])} | {ratio(r['warm'])} | {cell(r['edit'])} | {ratio(r['edit'])} | "
        f"{records_s(cold)} | {cold['phases'].get('render', 0):.2f} |"])


def table(rows: list[dict]) -> str:
    head = ("| N cases | pages | generator s (share) | build s (CPU s) | ms/page | ms/case | naive s (CPU s) "
            "| naive ms/page | naive ÷ ours (CPU) | peak MiB ours / naive | site MB ours / naive "
            "| search index MB | bytes/page | ÷ Material default |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        o = r["ours"]
        naive = r.get("naive")
        share = r["generator"] / o["wall"]
        site = f"{r['site_bytes'] / 1e6:.0f}"
        cells = [f"{r['n']:,}", f"{r['pages']:,}", f"{r['generator']:.2f} ({share:.1%})",
                 f"{o['wall']:.1f} ({o['cpu']:.1f})",
                 f"{o['wall'] / r['pages'] * 1000:.1f}", f"{o['wall'] / r['n'] * 1000:.1f}",
                 f"{naive['wall']:.1f} ({naive['cpu']:.1f})" if naive else "—",
                 f"{naive['wall'] / r['pages'] * 1000:.1f}" if naive else "—",
                 f"{naive['wall'] / o['wall']:.1f}× ({naive['cpu'] / o['cpu']:.1f}×)" if naive else "—",
                 f"{o['peak_mib']:.0f} / {naive['peak_mib']:.0f}" if naive else f"{o['peak_mib']:.0f} / —",
                 f"{site} / {r['naive_site_bytes'] / 1e6:.0f}" if naive else f"{site} / —",
                 f"{r['index_bytes'] / 1e6:.1f}", f"{r['index_bytes'] / r['pages']:,.0f}",
                 f"{r['index_bytes'] / r['default_index_bytes']:.2f}×" if r.get("default_index_bytes") else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def phases(rows: list[dict]) -> str:
    lines = ["| N cases | load | validate | resolve | render | CPU s (build) |", "|---|---|---|---|---|---|"]
    for r in rows:
        p = r["ours"]["phases"]
        cells = " | ".join(f"{p.get(k, 0):.2f}" for k in ("load", "validate", "resolve", "render"))
        lines.append(f"| {r['n']:,} | {cells} | {r['ours']['cpu']:.1f} |")
    return "\n".join(lines)


def verdict(rows: list[dict], extra: dict) -> list[str]:
    by_n = {r["n"]: r for r in rows}
    out = []
    for r in rows:
        share = r["generator"] / r["ours"]["wall"]
        out.append(f"generator share at {r['n']:,}: {share:.1%} ({'met' if share <= 0.05 else 'NOT met'}, target ≤ 5%)")
    if 1000 in by_n and 10000 in by_n:
        def ratio(key: str, per: str) -> float:
            cost = {n: by_n[n]["ours"][key] / (by_n[n]["pages"] if per == "page" else n) for n in (1000, 10000)}
            return cost[10000] / cost[1000]
        wall = ratio("wall", "page")
        out.append(f"per page at 10,000 ÷ per page at 1,000: {wall:.2f}× ({'met' if wall <= 1.25 else 'NOT met'}, "
                   f"target ≤ 1.25×); CPU per page {ratio('cpu', 'page'):.2f}×; per case study: wall "
                   f"{ratio('wall', 'case'):.2f}×, CPU {ratio('cpu', 'case'):.2f}× "
                   "(taxonomy pages grow slower than cases)")
    if 1000 in by_n and "naive" in by_n[1000]:
        speed = by_n[1000]["naive"]["wall"] / by_n[1000]["ours"]["wall"]
        out.append(f"faster than naive at 1,000: {speed:.1f}× ({'met' if speed >= 4 else 'NOT met'}, target ≥ 4×)")
    for r in rows:
        if r.get("default_index_bytes"):
            ratio = r["index_bytes"] / r["default_index_bytes"]
            verdict = "met" if ratio <= 0.55 else "NOT met"
            out.append(f"search index ÷ Material default at {r['n']:,}: {ratio:.2f}× ({verdict}, target ≤ 0.55×)")
    for r in rows:
        size, path = r["largest"]
        verdict = "met" if size <= PAGE_LIMIT else "NOT met"
        out.append(f"largest page at {r['n']:,}: {size / 1000:.0f} KB, {path} ({verdict}, target ≤ 300 KB)")
    for e in extra.get("edits", []):
        limit = 1.0 if e["n"] <= 1000 else 3.0
        for field in ("body", "title"):
            m = e[field]["median"]
            verdict = "met" if m <= limit else "NOT met"
            out.append(f"save → updated page at {e['n']:,}, {field} edit: median {m:.2f} s "
                       f"({verdict}, target ≤ {limit:.0f} s)")
    if "layers" in extra:
        r = extra["layers"]
        verdict = "met" if layers.met(r) else "NOT met"
        out.append(f"layering at {r['n']:,}: {r['cpu_cost']:+.1%} CPU, {r['cost']:+.1%} wall "
                   f"({verdict} by CPU, target ≤ +{layers.TARGET:.0%})")
    if "rebuilds" in extra:
        r = extra["rebuilds"]
        for key, limit, label in (("warm", 0.25, "unchanged rebuild"), ("edit", 0.33, "one-edit rebuild")):
            wall, cpu = r[key]["wall"] / r["cold"]["wall"], r[key]["cpu"] / r["cold"]["cpu"]
            # judged by CPU: on a shared machine the long cold build suffers most from other load
            out.append(f"{label} ÷ cold at {r['n']:,}: {cpu:.2f} CPU, {wall:.2f} wall "
                       f"({'met' if cpu <= limit else 'NOT met'} by CPU, target ≤ {limit})")
    return out


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
              if line.startswith("model name")] if cpuinfo.exists() else []
    cpu = models[0] if models else platform.processor()
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated N (default: 100,1000)")
    parser.add_argument("--big", action="store_true", help="also N = 10,000 (several minutes)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--naive-max", type=int, default=1000, help="largest N for the naive site (default 1000)")
    parser.add_argument("--edit-n", default="",
                        help="comma-separated N for the serve edit test (default 1000, with --big also 10000; 0: skip)")
    parser.add_argument("--rebuild-n", type=int, default=0,
                        help="N for repeated builds (default: largest N; -1: skip)")
    parser.add_argument("--search-n", type=int, default=0,
                        help="N for first-query bytes (default: largest N; -1: skip)")
    parser.add_argument("--book-n", default="100,1000",
                        help="comma-separated N for the whole-guide book (guide.pdf/.docx; default 100,1000, "
                        "with --big also 10000; 0: skip)")
    parser.add_argument("--book-full-cases", type=int, default=50,
                        help="the plugin's book_full_cases for the book benchmark (default 50)")
    parser.add_argument("--shipped-n", default="1000,1200",
                        help="comma-separated N for the shipped config's builds (courses and book on): cold, "
                        "unchanged, one edit, plain MkDocs (default 1000,1200; 0: skip)")
    parser.add_argument("--courses", type=int, default=3, help="courses in the shipped-config corpus (default 3)")
    parser.add_argument("--import-sizes", default="1000,10000",
                        help="rows of the collection workbook import timings (default 1000,10000; 0: skip)")
    parser.add_argument("--layers-n", type=int, default=1000,
                        help="N of the base for the layering cost (a county guide on it; 0: skip)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed)")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")} | ({10000} if args.big else set()))
    work = args.work or Path(tempfile.mkdtemp(prefix="pilotguide-bench-"))
    started = time.perf_counter()
    extra: dict = {"startup": startup.measure()}
    print("== start-up: " + startup.line(extra["startup"]), flush=True)
    rows = [measure_size(n, work, args) for n in sizes]
    rebuild_n = args.rebuild_n or sizes[-1]
    if rebuild_n > 0:
        row = next(r for r in rows if r["n"] == rebuild_n)
        extra["rebuilds"] = {"n": rebuild_n, **rebuilds(work / f"guide-{rebuild_n}", row["ours"])}
    edit_sizes = [int(n) for n in (args.edit_n or ("1000,10000" if args.big else "1000")).split(",") if int(n)]
    extra["edits"] = []
    for n in edit_sizes:
        project = work / f"guide-{n}"
        if not project.is_dir():
            corpus.generate(project, n, seed=args.seed)
        e = {"n": n, **edit.measure(project, "case-00005", edits=5, fields=("title", "body"))}
        extra["edits"].append(e)
        print(f"   serve edits at {n:,}: title {e['title']['edits']} / body {e['body']['edits']}", flush=True)
    book_sizes = sorted({int(n) for n in args.book_n.split(",") if int(n)} | ({10000} if args.big else set()))
    extra["books"] = []
    for n in book_sizes:
        project = work / f"guide-{n}"
        if not project.is_dir():
            corpus.generate(project, n, seed=args.seed)
        book = run_book(project, args.book_full_cases)
        extra["books"].append(book)
        print(f"   book at {n:,}: {book['pages']:,} pages, {book['wall']:.1f} s", flush=True)
    extra["shipped"] = [shipped_runs(int(n), work, args) for n in args.shipped_n.split(",") if int(n)]
    import_sizes = [int(s) for s in args.import_sizes.split(",") if int(s) > 0]
    if import_sizes:
        print("== collection workbook import", flush=True)
        extra["import"] = intake.main(import_sizes)
    if args.layers_n:
        print(f"== layering on a {args.layers_n:,}-case base", flush=True)
        extra["layers"] = layers.measure(args.layers_n, work, run_build, seed=args.seed)
    search_n = args.search_n or sizes[-1]
    if search_n > 0:
        project = work / f"guide-{search_n}"
        if not (project / "site").is_dir():
            corpus.generate(project, search_n, seed=args.seed)
            run_build("pilotguide", project)
        pf = sites.with_search_backend(project, work / f"pagefind-{search_n}", "pagefind")
        extra["pagefind_build"] = run_build("pilotguide", pf)
        extra["search"] = {"n": search_n, "material": searchbytes.first_query_bytes(project / "site", "material"),
                           "pagefind": searchbytes.first_query_bytes(pf / "site", "pagefind")}
        extra["search"]["pagefind_files"] = sum(1 for _ in (pf / "site" / "pagefind").rglob("*"))
    print()
    print(f"Machine: {machine()}; benchmark took {time.perf_counter() - started:.0f} s.")
    print(table(rows))
    print("\nStart-up: " + startup.line(extra["startup"]))
    print()
    print("Generator phases (s, inside the build):")
    print(phases(rows))
    largest = "; ".join(f"{r['n']:,} cases {r['largest'][0]:,} bytes ({r['largest'][1]})" for r in rows)
    print("\nLargest generated page: " + largest)
    if "rebuilds" in extra:
        print("\nRepeated builds (build cache), wall s (CPU s):")
        print(rebuild_table(extra["rebuilds"], extra["rebuilds"]["n"]))
        print(lexicon_s(extra["rebuilds"]))
    for e in extra["edits"]:
        t, b = e["title"], e["body"]
        print(f"\nSave → updated page under `pilotguide serve` at N = {e['n']:,} (median of {len(t['edits'])} saves): "
              f"title edit (case page and the case table's data) {t['median']:.2f} s "
              f"{[round(x, 2) for x in t['edits']]}; body edit (its own page) {b['median']:.2f} s "
              f"{[round(x, 2) for x in b['edits']]}; first build {e['first_build']:.1f} s.")
    if "search" in extra:
        s = extra["search"]
        print(f"\nFirst search at N = {s['n']:,} (bytes downloaded, raw / gzip): "
              f"Material {s['material']['bytes'] / 1e6:.2f} MB / {s['material']['gzip'] / 1e6:.2f} MB "
              f"in {s['material']['requests']} requests; "
              f"Pagefind {s['pagefind']['bytes'] / 1e6:.2f} MB / {s['pagefind']['gzip'] / 1e6:.2f} MB "
              f"in {s['pagefind']['requests']} requests "
              f"(Pagefind build {extra['pagefind_build']['wall']:.1f} s).")
    if extra["books"]:
        print("\nWhole-guide book (guide.pdf and guide.docx, in a fresh process):")
        print(book_table(extra["books"]))
        for b in extra["books"]:
            print(f"- {b['cases']:,} cases (peak {b['peak_mib']:.0f} MiB), phases s: "
                  + ", ".join(f"{k} {v:.1f} (CPU {b['cpu'][k]:.1f})" for k, v in b["phases"].items()))
    if extra["shipped"]:
        print("\nThe shipped config (course downloads and the book on), wall s (CPU s):")
        print(shipped_table(extra["shipped"]))
    if "import" in extra:
        print("\nCollection workbook (export, then `pilotguide import` of it into a guide without those cases):")
        for row in extra["import"]:
            print("- " + intake.line(row))
    if "layers" in extra:
        print("\nBase guides: " + layers.line(extra["layers"]))
    print("\nTargets (" + TARGETS + "):")
    for line in verdict(rows, extra) + book_verdict(extra["books"]) + shipped_verdict(extra["shipped"]):
        print("- " + line)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": rows, **extra}, indent=2, ensure_ascii=False),
                             encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
