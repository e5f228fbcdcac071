"""Where the judges that come as npm packages are: axe-core and the Nu HTML Checker (vnu.jar).

`npm ci` (package.json, as .ci/run does) puts them in the checkout's node_modules/; a shared install
elsewhere is found through NODE_PATH, as Node itself would find it.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = "axe-core/axe.min.js"
VNU = "vnu-jar/build/dist/vnu.jar"


def find(relative: str) -> Path | None:
    """The first node_modules folder holding `relative`, or None."""
    folders = [ROOT / "node_modules", *(Path(p) for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p)]
    return next((folder / relative for folder in folders if (folder / relative).exists()), None)
