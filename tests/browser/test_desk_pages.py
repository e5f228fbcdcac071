"""The desk in a real browser, in Arabic: a live page updating on a reader's phone without a reload,
the budget → story walk with its notification, and the desk's pages at desktop and phone widths."""

import re

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from desk import live
from desk.demo import LIVE_STORY_SLUG
from desk.models import BudgetItem, Notification

from ..second_factor import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
ENGLISH = re.compile(r"\b(Budget|Calendar|Notifications|Planned|Assigned|Live|Drop|Start|Today|Week|due|words)\b")


def assert_fits(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: {overflow}px wider than the screen"
    assert page.evaluate("document.documentElement.dir") == "rtl", name


def signed_in(browser, live_server, username) -> dict:
    """A signed-in session's storage, so each width reuses one sign-in (a code is accepted once)."""
    context = browser.new_context(locale="ar")
    page = context.new_page()
    browser_sign_in(page, live_server.url, username, f"telescope-{username}")
    assert page.url.endswith("/admin/"), page.url
    state = context.storage_state()
    context.close()
    return state


def test_live_entries_reach_an_open_readers_phone_without_a_reload(browser, live_server, demo, settings, artifacts):
    settings.LIVE_POLL_SECONDS = 1
    article = Article.objects.get(slug=LIVE_STORY_SLUG)
    editor = get_user_model().objects.get(username="editor")
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".live-entry").count() == 3, "the demo's entries"
    page.evaluate("window.__notReloaded = true")
    texts = ["انتهى الاجتماع المغلق بعد ساعتين.", "الوزراء يتفقون على لجنة متابعة.", "مؤتمر صحفي بعد قليل."]
    for text in texts:
        live.add_entry(article, editor, kind="text", text=text)
        # Within the polling interval (1 s here) and a margin for a loaded machine.
        page.locator(".live-entry").filter(has_text=text).wait_for(timeout=15_000)
    assert page.evaluate("window.__notReloaded === true"), "the page was not reloaded"
    shown = page.locator(".live-entry .live-text").all_inner_texts()
    assert [t.strip() for t in shown[:3]] == list(reversed(texts)), "newest first"
    assert_fits(page, "live page")
    page.screenshot(path=artifacts / "desk-live-phone.png", full_page=True)
    context.close()


def test_editor_plans_tomorrow_the_journalist_is_told_and_starts_the_story(browser, live_server, demo, artifacts):
    editor_state = signed_in(browser, live_server, "editor")
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900}, storage_state=editor_state)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/desk/budgetitem/")
    page.click("text=غدًا")
    page.click("text=خطّط لخبر")
    page.select_option("#id_section", label="سوريا")
    page.fill("#id_working_title", "جولة في أسواق حلب قبل العيد")
    page.fill("#id_angle", "الأسعار مقارنة بالعام الماضي")
    page.select_option("#id_assignee", label="سارة الحلبي")
    page.fill("#id_expected_words", "700")
    page.fill("#id_due_time", "15:30")
    page.click("input[name=_save]")
    assert "جولة في أسواق حلب قبل العيد" in page.inner_text("#content-main")
    context.close()
    item = BudgetItem.objects.get(working_title="جولة في أسواق حلب قبل العيد")
    assert item.status == BudgetItem.Status.ASSIGNED

    journalist = browser.new_context(locale="ar", viewport={"width": 390, "height": 844})
    page = journalist.new_page()
    browser_sign_in(page, live_server.url, "journalist", "telescope-journalist")
    count = Notification.objects.filter(recipient__username="journalist", read_at__isnull=True).count()
    assert page.inner_text(".desk-notifications-link .desk-count") == str(count).translate(
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    )
    page.click(".desk-notifications-link")
    page.click("text=جولة في أسواق حلب قبل العيد")
    assert f"#item-{item.pk}" in page.url
    page.locator(f"#item-{item.pk} button.desk-start").click()
    assert "/admin/articles/article/" in page.url
    assert page.input_value("#id_headline_ar") == "جولة في أسواق حلب قبل العيد"
    journalist.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_desk_pages_in_arabic_fit_the_screen(browser, live_server, demo, artifacts, size):
    state = signed_in(browser, live_server, "editor")
    context = browser.new_context(locale="ar", viewport={"width": WIDTHS[size], "height": 900}, storage_state=state)
    page = context.new_page()
    for name, path in [
        ("dashboard", "/admin/"),
        ("budget", "/admin/desk/budgetitem/"),
        ("calendar", "/admin/desk/calendar/"),
        ("calendar-day", "/admin/desk/calendar/?view=day"),
        ("notifications", "/admin/desk/notifications/"),
    ]:
        page.goto(live_server.url + path)
        assert_fits(page, name)
        text = page.inner_text("#content")
        assert not ENGLISH.search(text), f"{name}: {ENGLISH.search(text)}"
        page.screenshot(path=artifacts / f"desk-{name}-{size}.png", full_page=True)
    context.close()
