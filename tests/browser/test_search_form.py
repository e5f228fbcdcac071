"""The reader's search form at a desktop's and a phone's width: a one-line query box, date
fields wide enough for a date, labels whole."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("width", WIDTHS)
def test_search_form_fits_at_every_width(demo, live_server, browser, artifacts, width):
    viewport_width, viewport_height = WIDTHS[width]
    context = browser.new_context(locale="ar", viewport={"width": viewport_width, "height": viewport_height})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/search/?q=روسيا")
        page.evaluate("document.fonts.ready")
        query = page.locator("#id_q").bounding_box()
        assert query["height"] < 60, f"the query box is {query['height']:.0f} px tall"
        assert query["width"] > viewport_width / 2 - 120
        for name in ("date_from", "date_to"):
            box = page.locator(f"#id_{name}").bounding_box()
            assert box["width"] >= 120, f"{name} is squeezed to {box['width']:.0f} px"
        clipped = page.evaluate(
            "[...document.querySelectorAll('.search-filters label')]"
            ".filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)"
        )
        assert clipped == [], f"labels cut off: {clipped}"
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.screenshot(path=str(artifacts / f"search-form-{width}.png"), full_page=True)
    finally:
        context.close()
