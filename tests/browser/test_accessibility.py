"""axe-core finds nothing on any kind of reader's page, on a phone and a desktop, and no page logs an
error to the console.

axe runs with its defaults (WCAG 2.0–2.2 A and AA and its best practices) and the WCAG 2.2 target-size
rule, which is off by default. Its contrast rule skips shaped Arabic text: tests/test_views_style.py
checks the palette's contrast directly.
"""

import pytest

from tests import node_tools
from tests.public_pages import page_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
RUN_AXE = "axe.run(document, {rules: {'target-size': {enabled: true}}, resultTypes: ['violations']})"


@pytest.fixture
def axe_source():
    found = node_tools.find(node_tools.AXE)
    if found is None:
        pytest.skip("axe-core is not installed (npm ci, as .ci/run does)")
    return found.read_text()


def test_no_page_has_an_axe_violation_or_a_console_error(demo, live_server, browser, axe_source):
    pages = page_types()
    violations, console = [], []
    current = {}  # the page being checked, for the console's messages
    for viewport_width, viewport_height in WIDTHS.values():
        context = browser.new_context(locale="ar", viewport={"width": viewport_width, "height": viewport_height})
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and console.append((current["name"], message.text)))
        page.on("pageerror", lambda error: console.append((current["name"], str(error))))
        try:
            for name, (path, status) in pages.items():
                current["name"] = f"{name} at {viewport_width}px"
                response = page.goto(live_server.url + path, wait_until="load")
                assert response.status == status, f"{name} ({path}) answered {response.status}"
                if status != 200:
                    # The browser logs the page's own status as an error; that one is expected.
                    own = f"status of {status}"
                    console[:] = [(at, text) for at, text in console if not (at == current["name"] and own in text)]
                page.evaluate("document.fonts.ready")
                page.evaluate(axe_source)
                for rule in page.evaluate(RUN_AXE)["violations"]:
                    targets = [" ".join(node["target"]) for node in rule["nodes"]]
                    violations.append(f"{current['name']}: {rule['id']} ({rule['help']}) at {targets}")
        finally:
            context.close()
    assert violations == [], "axe violations:\n" + "\n".join(violations)
    assert console == [], f"console errors: {console}"


def test_axe_is_not_blind(browser, axe_source):
    # The test above passes on silence: a page with two unnamed search landmarks must be caught.
    context = browser.new_context(locale="ar")
    page = context.new_page()
    try:
        page.set_content(
            '<!doctype html><html lang="ar"><title>x</title><body><main><h1>x</h1>'
            '<form role="search"><label>x <input></label></form><form role="search"><label>y <input></label></form>'
            "</main></body></html>"
        )
        page.evaluate(axe_source)
        assert "landmark-unique" in [rule["id"] for rule in page.evaluate(RUN_AXE)["violations"]]
    finally:
        context.close()
