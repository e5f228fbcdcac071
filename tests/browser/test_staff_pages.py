"""Sign-in, two-factor set-up, staff management and the audit trail in a real browser, in Arabic, at
desktop and phone widths: right to left, nothing wider than the screen, no English on the way."""

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from ..second_factor import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}
# English words that must not reach an Arabic page (labels, buttons, Django's defaults).
ENGLISH = re.compile(
    r"\b(Sign in|Password|Username|staff|Staff|role|Role|Save|Journalists|Editors|Chief editors|hash|salt|Log in)\b"
)


@pytest.fixture
def context(browser, live_server, demo):
    def make(width):
        return browser.new_context(locale="ar", viewport={"width": width, "height": 900})

    return make


def visible_text(page) -> str:
    return page.evaluate("document.body.innerText")


def assert_fits(page, name):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name}: {overflow}px wider than the screen"
    assert page.evaluate("document.documentElement.dir") == "rtl", name


@pytest.mark.parametrize("size", list(WIDTHS))
def test_a_chief_editor_signs_in_with_a_code_and_adds_a_journalist(context, live_server, artifacts, size):
    page = context(WIDTHS[size]).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    assert_fits(page, "login")
    assert not ENGLISH.search(visible_text(page)), visible_text(page)
    page.screenshot(path=artifacts / f"staff-login-{size}.png", full_page=True)

    browser_sign_in(page, live_server.url, "chief", "telescope-chief")
    assert page.url.endswith("/admin/"), page.url

    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    assert_fits(page, "staff add")
    text = visible_text(page)
    assert "رئيس تحرير" in text and "إرسال دعوة" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    page.screenshot(path=artifacts / f"staff-add-{size}.png", full_page=True)

    page.fill("#id_username", f"hala-{size}")
    page.fill("#id_display_name_ar", "هالة المصري")
    page.fill("#id_email", "hala@example.org")
    page.check(f"input[name=role][value='{Group.objects.get(name='Journalists').pk}']")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    text = visible_text(page)
    assert "صار هالة المصري من طاقم غرفة الأخبار" in text
    assert "/admin/account/welcome/" in text, "without mail, the chief editor is given the link"
    assert User.objects.get(username=f"hala-{size}").is_staff
    assert_fits(page, "staff change")
    page.screenshot(path=artifacts / f"staff-change-{size}.png", full_page=True)

    page.goto(f"{live_server.url}/admin/audit/")
    assert_fits(page, "audit trail")
    assert "إضافة عضو إلى الفريق" in visible_text(page)
    page.screenshot(path=artifacts / f"audit-trail-{size}.png", full_page=True)


@pytest.mark.parametrize("size", list(WIDTHS))
def test_an_editor_without_a_device_sets_one_up_at_sign_in(context, live_server, artifacts, size):
    TOTPDevice.objects.filter(user__username="editor").delete()
    page = context(WIDTHS[size]).new_page()
    browser_sign_in(page, live_server.url, "editor", "telescope-editor")
    assert "/sign-in/set-up/" in page.url
    assert_fits(page, "enrol")
    assert page.locator(".qr-code svg").is_visible()
    assert not ENGLISH.search(visible_text(page))
    page.screenshot(path=artifacts / f"two-factor-set-up-{size}.png", full_page=True)
