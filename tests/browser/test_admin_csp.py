"""The admin under the strict Content-Security-Policy, in Chromium: the story editor, Django's own
scripts (autocomplete, inlines, date pickers, collapsed fieldsets) and the focal-point picker all
work, and the browser reports no policy violation and no script error."""

import re
import threading

import pytest
from django.db import connections

from articles.models import Article
from tests.factories import SectionFactory, SourceFactory, UserFactory, picture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (injected by the browser, outside the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));
"""


@pytest.fixture
def admin_page(browser, live_server, client):
    editor = UserFactory(username="csp-editor", role="Editors")
    client.force_login(editor)
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
    connections.close_all()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


def assert_clean(page):
    violations = page.evaluate("window.__violations")
    assert violations == [], f"Content-Security-Policy violations: {violations}"
    assert page.problems == [], f"console errors: {page.problems}"


def test_story_editor_and_django_admin_scripts_work_under_the_strict_policy(admin_page, live_server, artifacts):
    page = admin_page
    section = SectionFactory(name_ar="سياسة")
    SourceFactory(name_ar="وكالة تليسكوب الإخبارية")
    response = page.goto(f"{live_server.url}/admin/articles/article/add/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]

    # The rich-text editor (its import map is the one inline script) starts and takes typing.
    page.fill("#id_headline_ar", "خبر يُكتب تحت سياسة أمان صارمة")
    editor = page.locator(".field-body_ar [contenteditable=true]")
    editor.wait_for(state="visible")
    editor.click()
    page.keyboard.type("فقرة أولى كتبها المحرر.")

    # Autocomplete (select2): the credit box finds a source from the server.
    page.locator("#id_credit + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("تليسكوب")
    page.locator(".select2-results__option", has_text="وكالة تليسكوب الإخبارية").click()

    # Inlines: "add another" adds a sources row.
    rows = page.locator("#attributions-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#attributions-group .add-row a").click()
    assert rows.count() == before + 1

    # Date pickers: the calendar opens beside "publish at".
    page.locator(".field-publish_at a[id^=calendarlink]").click()
    page.locator(".calendarbox >> visible=true").locator("td a", has_text=re.compile("^(20|٢٠)$")).click()
    assert page.input_value("#id_publish_at_0").endswith("-20")
    page.fill("#id_publish_at_0", "")

    # Collapsed fieldset: the English translation opens.
    english = page.locator("fieldset.collapse summary, details summary").first
    english.click()
    assert page.locator("#id_headline_en").is_visible()

    page.select_option("#id_section", str(section.pk))
    page.locator("#attributions-group tr.form-row:not(.empty-form)").last.locator("a.inline-deletelink").click()
    page.locator("input[name=_continue]").click()
    page.wait_for_url("**/change/")
    page.screenshot(path=str(artifacts / "admin-story-strict-csp.png"), full_page=True)
    story = Article.objects.get(headline_ar="خبر يُكتب تحت سياسة أمان صارمة")
    assert "فقرة أولى كتبها المحرر." in story.body_ar
    assert story.credit.name_ar == "وكالة تليسكوب الإخبارية"
    assert_clean(page)


def test_focal_point_picker_works_under_the_strict_policy(admin_page, live_server, tmp_path):
    page = admin_page
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(picture_bytes(1600, 900))
    page.goto(f"{live_server.url}/admin/articles/image/add/")
    page.set_input_files("#id_file", str(photo))
    picture = page.locator(".focal-image")
    picture.wait_for(state="visible")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.25, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.75, abs=0.01)
    assert_clean(page)
