"""`make bench`: run every bench/*.py that has a main(), in name order, with Django set up."""

import importlib.util
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def main() -> None:
    import django

    django.setup()
    for path in sorted(BENCH.glob("*.py")):
        if path.name == "run.py":
            continue
        spec = importlib.util.spec_from_file_location(f"bench.{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "main", None)):
            print(f"\n== bench/{path.name}")
            module.main()


if __name__ == "__main__":
    main()
