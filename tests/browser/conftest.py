"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, so Django's ORM there would raise
SynchronousOnlyOperation; these tests only, and only here, allow it.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from .chromium import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    # Only while a browser module runs, never at import: the variable must not reach other
    # tests or their subprocesses (`check --deploy` rightly refuses it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, which would trip Django's async-safety check in every later (non-browser) test.
@pytest.fixture(scope="module")
def browser(allow_orm_beside_playwright):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    # A transactional test empties every table when it ends; load_demo puts the roles back.
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
