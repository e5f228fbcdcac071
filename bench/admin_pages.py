"""The admin's pages as a journalist's browser loads them: time to the load event, in Chromium.

Serves the demo with gunicorn on loopback (DEBUG off, static files collected, as in production)
and opens each page in headless Chromium at 1280 px, signed in: the dashboard, the story list, a
new story's form and a published story's form (as an editor). Each page is loaded BENCH_ADMIN_RUNS
times after one warm-up load; the table gives the median and the range of the navigation timing's
load event, the server's share (response end), the bytes transferred and the page's height.

BENCH_ADMIN_URL=http://127.0.0.1:PORT measures a server that is already running instead (it must
have the demo logins). Needs Debian's Chromium (/usr/bin/chromium).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from pages import free_port, manage, wait_until_up  # noqa: E402

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

RUNS = int(os.environ.get("BENCH_ADMIN_RUNS", "7"))
PAGES = [
    # label, who, path (a callable of the server's data, for the story)
    ("dashboard", "journalist", "/admin/"),
    ("story list", "journalist", "/admin/articles/article/"),
    ("new story form", "journalist", "/admin/articles/article/add/"),
    ("story form (editor)", "editor", "story"),
]
TIMING = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  const bytes = performance.getEntriesByType("resource").reduce((sum, r) => sum + r.transferSize, n.transferSize);
  return {load: n.loadEventEnd, response: n.responseEnd, bytes: bytes,
          height: document.documentElement.scrollHeight};
}"""


def story_path(env) -> str:
    code = (
        "from articles.models import Article; "
        "print(Article.objects.filter(status='published').order_by('-publish_at').first().pk)"
    )
    return f"/admin/articles/article/{manage('shell', '-c', code, env=env).stdout.strip().splitlines()[-1]}/change/"


def measure(base: str, story: str) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        contexts = {}
        for who in ("journalist", "editor"):
            context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + "/admin/login/")
            page.fill("#id_username", who)
            page.fill("#id_password", f"telescope-{who}")
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            contexts[who] = page
        for label, who, path in PAGES:
            page = contexts[who]
            url = base + (story if path == "story" else path)
            page.goto(url, wait_until="load")  # warm-up: the browser's cache holds the static files after it
            timings = []
            for _ in range(RUNS):
                page.goto(url, wait_until="load")
                timings.append(page.evaluate(TIMING))
            loads = sorted(t["load"] for t in timings)
            rows.append(
                (
                    label,
                    statistics.median(loads),
                    loads[0],
                    loads[-1],
                    statistics.median(t["response"] for t in timings),
                    timings[-1]["bytes"],
                    timings[-1]["height"],
                )
            )
        browser.close()
    return rows


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"bench/admin_pages.py needs Chromium at {CHROMIUM}.")
        return 1
    env = {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    process = static_root = None
    base = os.environ.get("BENCH_ADMIN_URL", "").rstrip("/")
    manage("load_demo", env=env)
    story = story_path(env)
    if not base:
        static_root = Path(tempfile.mkdtemp(prefix="newsroom-bench-static-"))
        env["STATIC_ROOT"] = str(static_root)
        manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "2", "--no-control-socket", "--log-level", "warning"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
        wait_until_up(base + "/healthz", process)
    try:
        rows = measure(base, story)
    finally:
        if process is not None:
            process.terminate()
            process.wait()
        if static_root is not None:
            shutil.rmtree(static_root, ignore_errors=True)
    print(f"\nChromium at 1280 px, signed in; {RUNS} loads per page after a warm-up; times in ms\n")
    print(f"{'page':<22} {'load p50':>9} {'min':>6} {'max':>6} {'server':>7} {'bytes':>9} {'height px':>10}")
    for label, median, low, high, response, size, height in rows:
        print(f"{label:<22} {median:>9.0f} {low:>6.0f} {high:>6.0f} {response:>7.0f} {size:>9} {height:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
