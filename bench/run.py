"""`make bench`: run every benchmark in bench/ (each module here with a main()); each prints a table.

`make bench ARGS="search"` runs only the named modules.
"""

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main(names: list[str]) -> None:
    names = names or sorted(path.stem for path in HERE.glob("*.py") if path.stem not in {"run", "__init__"})
    for name in names:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if callable(getattr(module, "main", None)):
            print(f"\n== bench/{name}.py ==", flush=True)
            module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
