"""`make bench`: run every benchmark module in bench/ that has a `main()`, in name order.

`make bench ARGS="pages"` runs only the named modules; a module with `BY_DEFAULT = False` (a
profile, say) runs only when named. A number among the arguments is the number of stories to
measure at (BENCH_STORIES): `make bench ARGS="summary 100000"`. Each module prints its own table;
none asserts a time.
"""

import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules(only: list[str]):
    for path in sorted(HERE.glob("*.py")):
        if path.stem == "run" or path.stem.startswith("_") or (only and path.stem not in only):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "main", None)) and (only or getattr(module, "BY_DEFAULT", True)):
            yield path.stem, module


def main(argv: list[str]) -> int:
    stories = [arg for arg in argv if arg.isdigit()]
    if stories:
        # Read by the modules as they load.
        os.environ["BENCH_STORIES"] = stories[-1]
    argv = [arg for arg in argv if not arg.isdigit()]
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django
    from django.core.management import call_command

    django.setup()
    # Every module may assume a migrated database, even a fresh one.
    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    status = 0
    for name, module in modules(argv):
        print(f"== bench/{name}.py ==", flush=True)
        status = max(status, module.main() or 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
