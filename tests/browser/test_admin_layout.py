"""The admin's lists and the story form fit the screen, in Arabic, at 1280 px and on a phone."""

import pytest

from accounts.models import User
from articles.models import Article, Attribution, Source, Status
from tests.second_factor import browser_sign_in

from .english import english_on_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
QUOTE = "<p>أعلنت الحكومة خطة جديدة.</p><blockquote><p>قال الوزير إنها البداية.</p></blockquote>"


@pytest.fixture
def signed_in(demo, live_server, browser):
    contexts = []

    def open_as(username, width):
        viewport_width, viewport_height = WIDTHS[width]
        context = browser.new_context(locale="ar", viewport={"width": viewport_width, "height": viewport_height})
        contexts.append(context)
        page = context.new_page()
        browser_sign_in(page, live_server.url, username, f"telescope-{username}")
        page.wait_for_url("**/admin/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def outside_viewport(page, selector) -> list[str]:
    """The elements matching `selector` that stick out of the window to either side."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((element) => {
             const box = element.getBoundingClientRect();
             return box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1);
           }).map((element) => element.className || element.textContent.trim())""",
        selector,
    )


def test_story_list_shows_every_column_at_1280(signed_in, live_server, artifacts):
    page = signed_in("editor", "desktop")
    page.goto(live_server.url + "/admin/articles/article/")
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert "آخر تحديث" in " ".join(headers) and "عاجل" in " ".join(headers)
    assert outside_viewport(page, "#result_list th, #result_list td") == []
    assert page.evaluate("(() => { const t = document.querySelector('#result_list');"
                         " return t.scrollWidth <= t.parentElement.clientWidth; })()")
    assert sideways_scroll(page) <= 0
    page.screenshot(path=str(artifacts / "admin-story-list-desktop.png"), full_page=True)


def test_story_list_on_a_phone_shows_each_storys_status(signed_in, live_server, artifacts):
    page = signed_in("editor", "phone")
    page.goto(live_server.url + "/admin/articles/article/")
    badges = page.locator("#result_list .status-badge")
    assert badges.count() == Article.objects.count()
    assert outside_viewport(page, "#result_list .status-badge, #result_list .field-headline") == []
    assert sideways_scroll(page) <= 0
    page.screenshot(path=str(artifacts / "admin-story-list-phone.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_sources_table_keeps_its_delete_column_on_screen(signed_in, live_server, artifacts, width):
    article = Article.objects.create(
        headline_ar="خبر بمصدرين",
        slug="two-sources",
        section_id=Article.objects.values_list("section", flat=True).first(),
        created_by=User.objects.get(username="editor"),
        status=Status.DRAFT,
    )
    for position, source in enumerate(Source.objects.all()[:2]):
        Attribution.objects.create(article=article, source=source, description_ar="مسؤول", position=position)
    page = signed_in("editor", width)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    deletes = page.locator("#attributions-group td.delete input[type=checkbox]")
    assert deletes.count() == 2
    assert outside_viewport(page, "#attributions-group td.delete input, #attributions-group td") == []
    assert sideways_scroll(page) <= 0
    page.locator("#attributions-group").screenshot(path=str(artifacts / f"admin-sources-{width}.png"))


def test_body_editor_is_a_page_tall_checks_spelling_and_marks_quotes_on_the_right(signed_in, live_server, artifacts):
    article = Article.objects.filter(status=Status.PUBLISHED).first()
    Article.objects.filter(pk=article.pk).update(body_ar=QUOTE)
    page = signed_in("editor", "desktop")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    area = page.locator(".field-body_ar .ProseMirror[contenteditable]")
    assert area.bounding_box()["height"] >= 250, "the body box starts too small"
    assert area.get_attribute("spellcheck") == "true"
    assert area.get_attribute("lang") == "ar"
    quote = area.locator("blockquote")
    borders = quote.evaluate(
        "q => [getComputedStyle(q).borderRightWidth, getComputedStyle(q).borderLeftWidth].map(parseFloat)"
    )
    assert borders[0] > 0 and borders[1] == 0, f"quote bar (right, left) = {borders}"
    titles = page.locator(".field-body_ar .prose-menubar [title]").evaluate_all("els => els.map(e => e.title)")
    assert titles and [t for t in titles if any("a" <= c.lower() <= "z" for c in t)] == []
    page.locator(".field-body_ar").screenshot(path=str(artifacts / "admin-body-editor.png"))


def test_the_link_dialog_speaks_arabic(signed_in, live_server, artifacts):
    page = signed_in("journalist", "desktop")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.click(".field-body_ar .ProseMirror[contenteditable]")
    page.keyboard.type("بيان الوزارة")
    page.keyboard.press("Shift+Home")
    page.click(".field-body_ar .prose-menubar [data-name=link]")
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert english_on_page(page) == []
    dialog.screenshot(path=str(artifacts / "admin-link-dialog.png"))
