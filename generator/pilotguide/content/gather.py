"""Gather a project's content from disk: load, validate and resolve every record.

`load_content` is the one entry point: it reads every file, collects every problem, and only
returns when the whole guide is sound (else it raises ContentError with all problems).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from ..errors import Problem, Problems
from . import editions, layers, schemas
from .cache import RecordCache
from .documents import Document, load_file
from .guidefile import load_guide_settings
from .model import Content, Record, fields
from .references import check_ids, check_references, check_step_order, order_records
from .review import build_date, overdue_warnings
from .settings import load_settings
from .synonyms import SYNONYMS_FILE, load_synonyms
from .validate import validate

VOCABULARIES_FILE = "vocabularies.yaml"
UNREADABLE = "unreadable"  # what loading a file that cannot be read gives (cached like a record)


def content_files(root: Path, folder: str) -> list[Path]:
    """YAML files of one kind's folder (subfolders too), in a stable order."""
    return [Path(p) for p in _record_files(root, folder)]


def _record_files(root: Path, folder: str) -> list[str]:
    """content_files as strings: a preview's save at 10,000 records need not make 10,000 Paths."""
    base = root / folder
    if not base.is_dir():
        return []
    return _in_path_order(p for p in _files_under(base) if _is_record_file(p))


def _is_record_file(path: str) -> bool:
    return os.path.splitext(path)[1] in (".yaml", ".yml")  # as Path.suffix: ".yaml" alone is no record


def _in_path_order(paths) -> list[str]:
    """Sorted as the Path objects of these strings sort (part by part), without making them."""
    # the separator as the lowest character: string order is then part-by-part order
    return sorted(paths, key=lambda p: os.path.normcase(p).replace(os.sep, "\0"))


def _files_under(base: Path) -> list[str]:
    """Every file under `base` (subfolders too, not linked ones; files as Path.is_file): os.scandir
    knows which entries are files without a stat call each, and strings are cheaper than Path
    objects, which a preview's saves feel at 10,000 records."""
    found, folders = [], [str(base)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):  # as Path.rglob: linked folders are not entered
                    folders.append(entry.path)
                elif entry.is_file():
                    found.append(entry.path)
            except OSError:
                continue
    return found


def near_misses(root: Path, folder: str) -> list[Path]:
    """Files that look meant as records but are not read: `x.yaml.txt` (Windows hides the last
    extension), `x.YAML`, `x.yaml.bak`, `x.yml~`."""
    base = root / folder
    if not base.is_dir():
        return []
    names = ((p, os.path.basename(p).lower()) for p in _files_under(base))
    return [Path(p) for p in _in_path_order(p for p, name in names if not _is_record_file(p)
                                            and (".yaml" in name or ".yml" in name))]


def _near_miss_warnings(root: Path, folder: str, problems: Problems) -> None:
    for path in near_misses(root, folder):
        stem = path.name[: path.name.lower().find(".y")]
        problems.add(shown_path(root, path), 0, 0,
                     f"这个文件没有被读取：记录文件名必须以小写的 .yaml 结尾（Windows 可能隐藏了扩展名）。"
                     f"如果它是一条记录，请改名为 `{stem}.yaml`；如果是备份，请移出 {folder}/ 文件夹。", warning=True)


def shown_path(root: Path, path: Path, prefix: str = "") -> str:
    """`path` as messages show it: relative to `root`, after `prefix` (a base guide's folder)."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
    return f"{prefix}/{shown}" if prefix else shown


def load_vocabularies(root: Path, problems: Problems, partial: bool = False) -> dict[str, list[str]]:
    """The project's vocabularies.yaml, or the packaged default when it has none. `partial`: the
    guide has a base, and its file names only the lists it replaces."""
    doc, _ = load_settings(root, VOCABULARIES_FILE, "vocabularies.schema.json", "词表", problems, partial)
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    return {k: [str(t) for t in v] for k, v in data.items() if isinstance(v, list)}


def load_records(root: Path, vocabularies: dict[str, list[str]], problems: Problems,
                 unreadable: dict[str, set[str]] | None = None,
                 cache: RecordCache | None = None, prefix: str = "") -> dict[str, list[Record]]:
    """Every record that has a usable id; `unreadable` collects, per kind, the file names (likely
    ids) of files that could not be read at all, so references to them are not reported twice.
    With a `cache` (kept by `pilotguide serve`), unchanged files are not read again. `prefix`
    names a base guide's folder in front of its files' paths (layers.py)."""
    kinds = list(schemas.kinds().values())
    files = {kind.name: _record_files(root, kind.folder) for kind in kinds}
    if cache is None:
        loaded = iter(_load_files(root, vocabularies, [(k, Path(p)) for k in kinds for p in files[k.name]], prefix))
    records: dict[str, list[Record]] = {}
    for kind in kinds:
        found = records.setdefault(kind.name, [])
        _near_miss_warnings(root, kind.folder, problems)
        for path in files[kind.name]:
            if cache is None:
                record, own = next(loaded)
                problems.items.extend(own)
            else:  # the cache stats the path string; a Path is made only for a file read again
                load = partial(_load_path, root, kind, path, vocabularies, prefix=prefix)
                record = cache.get_or_load(path, kind.name, vocabularies, problems, load)
            if record == UNREADABLE:
                if unreadable is not None:
                    unreadable.setdefault(kind.name, set()).add(os.path.splitext(os.path.basename(path))[0])
                continue
            if record is not None:
                found.append(record)
    return records


def _load_files(root: Path, vocabularies: dict[str, list[str]], files: list[tuple[schemas.Kind, Path]],
                prefix: str = "") -> list[tuple[Record | None | str, list[Problem]]]:
    """Each file loaded and validated, with the problems it raised, in the files' order.

    In this process: forked workers were measured against it (benchmarks/pools.py) and gained
    nothing at 1,000 to 10,000 cases, the records travelling back pickled (benchmarks/README.md)."""
    done = []
    for kind, path in files:
        own = Problems()
        done.append((_load_file(root, kind, path, vocabularies, own, prefix), own.items))
    return done


def _load_path(root: Path, kind: schemas.Kind, path: str, vocabularies: dict[str, list[str]],
               problems: Problems, prefix: str = "") -> Record | None | str:
    return _load_file(root, kind, Path(path), vocabularies, problems, prefix)


def _load_file(root: Path, kind: schemas.Kind, path: Path, vocabularies: dict[str, list[str]],
               problems: Problems, prefix: str = "") -> Record | None | str:
    """One file's record (None without a usable id), or UNREADABLE; its problems go to `problems`."""
    doc = load_file(path, shown_path(root, path, prefix), problems)
    if doc is None:
        return UNREADABLE
    return _record(kind, doc, validate(doc, kind, vocabularies, problems))


def _record(kind: schemas.Kind, doc: Document, refs) -> Record | None:
    """A record is kept for cross-checks when it at least has a usable id."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    return Record(kind.name, data["id"], fields(data, kind.schema, kind.name), doc, refs)


def load_content(root: Path | str, cache: RecordCache | None = None) -> Content:
    """Load, validate and resolve the whole guide under `root`. Raises ContentError.

    With a `cache` (kept between rebuilds by `pilotguide serve`), unchanged files are not re-read;
    records, problems and warnings are the same either way.
    A guide whose guide.yaml names a `base` gets the base's records under its own (layers.py)."""
    root = Path(root)
    with layers.Bases() as bases:
        def load(folder: Path, prefix: str, chain: tuple[Path, ...]) -> Content:
            return _load_guide(folder, prefix, chain, load, bases, cache)
        return load(root, "", (root.resolve(),))


def _load_guide(root: Path, prefix: str, chain: tuple[Path, ...], load, bases: layers.Bases,
                cache: RecordCache | None) -> Content:
    """One guide, its base (and the base's base) first: `prefix` names its folder in messages when
    it is loaded as another guide's base."""
    problems = Problems()
    settings = load_guide_settings(root, problems)
    base = layers.load_base(root, settings, prefix, chain, bases, load, problems)
    own_vocabularies = load_vocabularies(root, problems, partial=base is not None)
    vocabularies = layers.vocabularies((root / VOCABULARIES_FILE).is_file(), own_vocabularies, base)
    unreadable: dict[str, set[str]] = {}
    records = load_records(root, vocabularies, problems, unreadable, cache, prefix)
    own = [r for rs in records.values() for r in rs]
    check_ids(own, problems)
    if base is not None:
        records = layers.merge(base, records, settings, prefix, problems, unreadable)
    content = Content(root, vocabularies, records, today=build_date())
    content.settings, content.base = settings, base
    check_references(content, problems, unreadable)
    check_step_order(content, problems)
    content.synonyms = layers.synonyms((root / SYNONYMS_FILE).is_file(), load_synonyms(root, problems), base)
    manifest = editions.read_manifest(root, problems)
    kept = cache.digests if cache is not None else {}  # field hashes: the base's and this guide's share records
    if base is not None:
        layers.compare_upstream(root, base, content, settings, prefix, problems, kept)
    problems.raise_if_any()
    order_records(content)
    content.warnings = [p for p in problems.items if p.warning] + overdue_warnings(own, content.today)
    if len(chain) == 1:  # a base's own edition stamp is not needed: its guide compares fingerprints (layers.py)
        content.edition = editions.current_edition(content, manifest, kept)
    return content
