"""Lighthouse's four scores for the Arabic home page, a story and the English home, phone and desktop.

Serves the demo with gunicorn on loopback as in production (DEBUG off, static files collected with
their hashed, compressed copies, the page cache warmed) and runs the Lighthouse CLI against Debian's
Chromium: its default phone (Moto G Power, simulated slow 4G and 4× slower CPU) and its desktop
preset. Each page and device is run BENCH_JUDGES_RUNS times (default 3); the table shows the run
with the median performance score, and below it every audit that cost a point, with Lighthouse's
own figure. Lighthouse is not a Python package and is not needed by the tests, so it is not in
package.json: install it anywhere with npm (`npm install --prefix DIR lighthouse`) and point
NODE_PATH at DIR/node_modules, or put `lighthouse` on PATH.

BENCH_JUDGES_URL=http://127.0.0.1:PORT measures a server that is already running (with the demo).
The vnu and axe judges are tests (tests/test_html_validity.py, tests/browser/test_accessibility.py).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import _services as services  # noqa: E402

from tests import node_tools  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

BY_DEFAULT = False
RUNS = int(os.environ.get("BENCH_JUDGES_RUNS", "3"))
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
DEVICES = {"phone": [], "desktop": ["--preset=desktop"]}
METRICS = ["first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift", "total-blocking-time"]


def lighthouse_cli() -> str | None:
    found = node_tools.find(".bin/lighthouse")
    return str(found) if found else shutil.which("lighthouse")


def story_path(env: dict) -> str:
    code = (
        "from django.utils import translation; from articles.models import Article; "
        "from articles.management.commands.load_demo import STORY_SLUG; translation.activate('ar'); "
        "print(Article.objects.get(slug=STORY_SLUG).get_absolute_url())"
    )
    return services.manage(ROOT, env, "shell", "-c", code).strip().splitlines()[-1]


def run_lighthouse(cli: str, url: str, device: str, attempts: int = 3) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [cli, url, f"--chrome-flags={flags}", "--output=json", f"--output-path={report.name}", "--quiet"]
        for attempt in range(attempts):
            try:
                environment = {**os.environ, "CHROME_PATH": CHROMIUM}
                subprocess.run(command + DEVICES[device], check=True, env=environment, capture_output=True)
                break
            except subprocess.CalledProcessError as error:
                # On a busy machine Lighthouse now and then loses its trace (NO_NAVSTART): run again.
                if attempt == attempts - 1:
                    raise
                print(f"    Lighthouse failed ({error.stderr.decode().strip().splitlines()[-1:]}); again", flush=True)
        return json.loads(Path(report.name).read_text())


def scores(report: dict) -> dict[str, int]:
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def reasons(report: dict) -> list[str]:
    """Every weighted audit below full marks, with the figure Lighthouse gives for it."""
    found = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                items = len((audit.get("details") or {}).get("items") or [])
                figure = audit.get("displayValue") or (f"{items} items" if items else "")
                found.append(f"{category}: {ref['id']} (score {audit['score']:.2f}) {figure}".rstrip())
    return found


def measure(cli: str, base: str, pages: dict[str, str]) -> list[tuple[str, str, dict]]:
    rows = []
    for name, path in pages.items():
        urllib.request.urlopen(base + path).read()  # noqa: S310 (loopback; fills the page cache)
        for device in DEVICES:
            print(f"  {name}, {device}…", flush=True)
            runs = sorted(
                (run_lighthouse(cli, base + path, device) for _ in range(RUNS)),
                key=lambda report: report["categories"]["performance"]["score"],
            )
            report = runs[len(runs) // 2]
            report["performance range"] = [scores(r)["performance"] for r in (runs[0], runs[-1])]
            rows.append((name, device, report))
    return rows


def print_table(rows) -> None:
    print(f"\nLighthouse {rows[0][2]['lighthouseVersion']}, Chromium at {CHROMIUM}; median of {RUNS} by performance\n")
    print(f"{'page':<10} {'device':<8} {'perf':>5} {'(range)':>9} {'a11y':>5} {'b.p.':>5} {'seo':>5}   ", end="")
    print("FCP s  LCP s   CLS    TBT ms")
    for name, device, report in rows:
        s = scores(report)
        low, high = report["performance range"]
        audits = report["audits"]
        fcp, lcp, cls, tbt = (audits[m]["numericValue"] for m in METRICS)
        print(
            f"{name:<10} {device:<8} {s['performance']:>5} {f'{low}–{high}':>9} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {s['seo']:>5}   {fcp / 1000:>5.2f} {lcp / 1000:>5.2f} {cls:>6.3f} {tbt:>6.0f}"
        )
    below = [(name, device, reasons(report)) for name, device, report in rows if reasons(report)]
    print("\nBelow 100:" if below else "\nEvery category at 100 on every page and device.")
    for name, device, found in below:
        for reason in found:
            print(f"  {name}, {device}: {reason}")


def main() -> int:
    cli = lighthouse_cli()
    if cli is None:
        print("bench/judges.py needs Lighthouse: npm install --prefix DIR lighthouse, then NODE_PATH=DIR/node_modules")
        return 1
    if not Path(CHROMIUM).exists():
        print(f"bench/judges.py needs Chromium at {CHROMIUM}.")
        return 1
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    services.manage(ROOT, env, "load_demo")
    pages = {"home": "/", "story": story_path(env), "home-en": "/en/"}
    base = os.environ.get("BENCH_JUDGES_URL", "").rstrip("/")
    site = static_root = None
    if not base:
        static_root = Path(tempfile.mkdtemp(prefix="newsroom-bench-static-"))
        env["STATIC_ROOT"] = str(static_root)
        services.manage(ROOT, env, "collectstatic", "--noinput", "--verbosity", "0")
        site = services.Gunicorn(env)
        site.start()
        base = site.base
    try:
        rows = measure(cli, base, pages)
    except (subprocess.CalledProcessError, urllib.error.URLError) as error:
        print(f"Lighthouse failed: {error}\n{getattr(error, 'stderr', b'').decode()[-2000:]}")
        return 1
    finally:
        if site is not None:
            site.stop()
        if static_root is not None:
            shutil.rmtree(static_root, ignore_errors=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
