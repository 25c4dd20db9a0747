"""Build hook: the packaged model guide (`base: model` in a guide.yaml) in the wheel.

The model guide's source of truth is this repository's own guide at its root (guide.yaml,
vocabularies.yaml, synonyms.yaml and the content folders). A wheel copies them into
pilotguide/model/ at build time; an editable install has no copy and reads the checkout
(content/layers.py: model_root). Everything else about the package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
MODEL_FILES = ("guide.yaml", "vocabularies.yaml", "synonyms.yaml")
MODEL_FOLDERS = ("policies", "steps", "case-studies", "glossary", "courses")


class BuildWithModel(build_py):
    """build_py, plus the model guide's content copied into the package (not in editable mode)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "pilotguide" / "model"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in MODEL_FILES:
            shutil.copy2(ROOT / name, target / name)
        for name in MODEL_FOLDERS:
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("*~", ".*"))


setup(cmdclass={"build_py": BuildWithModel})
