"""Never lose a keystroke, in a real browser (issue 16's autosave, issue 17's item 7): text typed
in a story survives a killed browser, a restore never overwrites someone else's save, and a save
after the session ended or after signing in again in another tab keeps everything typed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from articles import editing
from articles.models import Article, Section

from ..second_factor import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "حُفظت مسودتك"


@pytest.fixture
def story(demo):
    journalist = get_user_model().objects.get(username="journalist")
    article = Article(headline_ar="مسودة عن أسعار الوقود", section=Section.objects.get(slug="economy"))
    editing.create_story(article, journalist, editing.Edit(fields={"body_ar": "<p>الفقرة الأولى.</p>"}))
    return article


def signed_in(browser, live_server, width=1280):
    context = browser.new_context(locale="ar", viewport={"width": width, "height": 900})
    page = context.new_page()
    browser_sign_in(page, live_server.url, "journalist", "telescope-journalist")
    return context, page


def cookies_only(context) -> dict:
    """What survives a killed browser that kept no local storage: the cookies."""
    state = context.storage_state()
    return {"cookies": state["cookies"], "origins": []}


def body(page):
    return page.locator(".ProseMirror[lang=ar]")


def save(page):
    with page.expect_navigation():
        page.click("input[name=_continue]")


def type_mid_sentence(page):
    page.fill("#id_headline_ar", "أسعار الوقود ترتفع للمرة الثالثة")
    body(page).click()
    page.keyboard.press("End")
    page.keyboard.type(" وقال مسؤول في الوزارة إن الزيادة")
    page.locator(".desk-autosave-status").filter(has_text=KEPT).wait_for(timeout=20_000)


def test_typed_text_survives_a_killed_browser_and_is_restored_with_a_diff(browser, live_server, story, artifacts):
    context, page = signed_in(browser, live_server)
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    body(page).wait_for()
    type_mid_sentence(page)
    assert page.inner_text("#desk-counts-body_ar").startswith("الكلمات: ٨")
    state = cookies_only(context)
    context.close()  # the browser dies mid-sentence
    story.refresh_from_db()
    assert story.headline_ar == "مسودة عن أسعار الوقود" and story.version == 1, "autosave wrote no story"

    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, storage_state=state)
    page = context.new_page()
    page.goto(url)
    panel = page.locator(".desk-restore")
    panel.wait_for()
    assert "أسعار الوقود ترتفع للمرة الثالثة" in panel.inner_text()
    page.screenshot(path=artifacts / "desk-autosave-restore-phone.png", full_page=True)
    page.click(".desk-restore-apply")
    assert page.input_value("#id_headline_ar") == "أسعار الوقود ترتفع للمرة الثالثة"
    assert "وقال مسؤول في الوزارة إن الزيادة" in body(page).inner_text()
    save(page)
    story.refresh_from_db()
    assert story.headline_ar == "أسعار الوقود ترتفع للمرة الثالثة"
    assert "وقال مسؤول في الوزارة إن الزيادة" in story.body_ar
    page.goto(url)
    assert page.locator(".desk-restore").count() == 0, "a saved draft is not offered again"
    context.close()


def test_restoring_after_someone_elses_save_never_overwrites_it(browser, live_server, story):
    context, page = signed_in(browser, live_server)
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    body(page).wait_for()
    type_mid_sentence(page)
    state = cookies_only(context)
    context.close()
    editor = get_user_model().objects.get(username="editor")
    editing.save_edit(story, editor, editing.Edit(fields={"headline_ar": "عنوان وضعه المحرر"}), loaded_version=1)

    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900}, storage_state=state)
    page = context.new_page()
    page.goto(url)
    page.click(".desk-restore-apply")
    assert page.input_value("#id_loaded_version") == "1"
    save(page)
    assert page.locator(".conflict-panel").count() == 1, "the save meets the edit conflict"
    story.refresh_from_db()
    assert story.headline_ar == "عنوان وضعه المحرر"
    assert page.input_value("#id_headline_ar") == "أسعار الوقود ترتفع للمرة الثالثة", "the typed text stays in the form"
    context.close()


def test_a_save_after_the_session_ended_keeps_the_text_for_after_signing_in(browser, live_server, story):
    context, page = signed_in(browser, live_server)
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    body(page).wait_for()
    page.fill("#id_headline_ar", "عنوان كُتب قبل انتهاء الجلسة")
    Session.objects.all().delete()  # the session ends while the person types
    save(page)
    assert "/admin/login/" in page.url
    page.fill("#id_username", "journalist")
    page.fill("#id_password", "telescope-journalist")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith(f"/admin/articles/article/{story.pk}/change/"), page.url
    page.locator(".desk-restore").wait_for()
    page.click(".desk-restore-apply")
    save(page)
    story.refresh_from_db()
    assert story.headline_ar == "عنوان كُتب قبل انتهاء الجلسة"
    context.close()


def test_a_save_after_signing_in_again_in_another_tab_is_not_a_csrf_failure(browser, live_server, story):
    context, page = signed_in(browser, live_server)
    url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(url)
    body(page).wait_for()
    page.fill("#id_headline_ar", "عنوان من اللسان الأول")
    Session.objects.all().delete()  # the session ends; the person signs in again in another tab
    other = context.new_page()
    browser_sign_in(other, live_server.url, "journalist", "telescope-journalist")
    assert other.url.endswith("/admin/"), other.url
    save(page)
    assert "403" not in page.title() and page.locator(".errornote").count() == 0, page.content()[:500]
    story.refresh_from_db()
    assert story.headline_ar == "عنوان من اللسان الأول"
    context.close()


def test_offline_typing_is_kept_in_the_browser_and_sent_when_the_connection_returns(browser, live_server, story):
    from desk.models import AutosaveDraft

    context, page = signed_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    body(page).wait_for()
    context.set_offline(True)
    page.fill("#id_headline_ar", "عنوان كُتب دون اتصال")
    page.locator(".desk-autosave-status").filter(has_text="محفوظ في هذا المتصفح").wait_for(timeout=20_000)
    assert not AutosaveDraft.objects.exists()
    context.set_offline(False)
    page.locator(".desk-autosave-status").filter(has_text=KEPT).wait_for(timeout=20_000)
    assert AutosaveDraft.objects.get().data["headline_ar"] == "عنوان كُتب دون اتصال"
    context.close()
