"""On PYTHONPATH, this makes `import weasyprint` fail as it does on Windows without Pango (cffi's
OSError from loading the library), for tests of the builds of such a machine."""

import importlib.abc
import sys


class _NoPango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e (simulated by the tests)")
        return None


sys.meta_path.insert(0, _NoPango())
