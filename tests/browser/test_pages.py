"""The reader's pages in a real browser, phone and desktop width: direction, fonts, layout, errors."""

import pytest
from django.utils import translation

from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def pages():
    with translation.override("ar"):
        return _pages()


def _pages():
    story = Article.objects.get(slug=STORY_SLUG)
    english = Article.objects.public("en").exclude(pk=story.pk).order_by("-publish_at").first()
    with translation.override("en"):
        english_path = english.get_absolute_url()
    return {
        "home": ("/", "rtl", "ar", 200),
        "section": ("/section/syria/", "rtl", "ar", 200),
        "story": (story.get_absolute_url(), "rtl", "ar", 200),
        "story-en": (english_path, "ltr", "en", 200),
        "home-en": ("/en/", "ltr", "en", 200),
        "not-found": ("/no-such-page/", "rtl", "ar", 404),
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_render_right_to_left_with_web_fonts_and_no_sideways_scroll(demo, live_server, browser, artifacts, width):
    viewport_width, viewport_height = WIDTHS[width]
    context = browser.new_context(
        locale="ar", viewport={"width": viewport_width, "height": viewport_height}, device_scale_factor=1
    )
    page = context.new_page()
    problems = []
    # The browser reports the 404 page's own status as a console error; anything else is a fault.
    page.on(
        "console",
        lambda message: message.type == "error" and "404" not in message.text and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    try:
        for name, (path, direction, language, status) in pages().items():
            response = page.goto(live_server.url + path, wait_until="load")
            assert response.status == status, f"{name}: {response.status}"
            page.evaluate("document.fonts.ready")
            assert page.get_attribute("html", "dir") == direction, name
            assert page.get_attribute("html", "lang") == language, name
            loaded = page.evaluate(
                "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
            )
            assert "Noto Naskh Arabic" in loaded, f"{name}: body font not loaded ({loaded})"
            if language == "ar":
                assert "Noto Kufi Arabic" in loaded, f"{name}: headline font not loaded ({loaded})"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport_width}px"
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
        assert problems == [], f"console errors: {problems}"
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_focus_is_visible(demo, live_server, browser):
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        box = page.evaluate("document.activeElement.getBoundingClientRect().top")
        assert box >= 0, "the focused skip link stays off screen"
    finally:
        context.close()
