"""Two-factor sign-in, through the real login pages: required for whoever may publish, optional for
journalists, with recovery codes shown once; idle staff sessions end."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sessions
from audit.models import Entry

from .factories import UserFactory
from .second_factor import authenticator, current_code, sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def signed_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def code_from_enrol_page(html: str) -> str:
    """What a phone would show after scanning: the code computed from the key printed on the page."""
    from base64 import b32decode

    key = re.search(r'class="otp-secret" dir="ltr"><code>([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


def test_an_editor_with_the_right_password_is_not_signed_in_until_they_set_up_a_code(client, editor):
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("account-sign-in-enrol")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_enrolment_shows_a_qr_code_made_here_and_then_the_recovery_codes_once(client, editor):
    sign_in(client, "editor", PASSWORD)
    page = client.get(reverse("account-sign-in-enrol")).content.decode()
    assert "<svg" in page and "<path" in page, "the QR code is drawn inline, by the server"
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    response = client.post(reverse("account-sign-in-enrol"), {"code": code_from_enrol_page(page)})
    assert response["Location"] == reverse("account-recovery-codes")
    codes_page = client.get(reverse("account-recovery-codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    # Shown once: a reload does not show them again.
    assert client.get(reverse("account-recovery-codes"))["Location"] == reverse("account-security")
    assert signed_in(client)
    assert Entry.objects.filter(action="second_factor_enrolled", object_id=str(editor.pk)).exists()


def test_a_wrong_code_at_enrolment_keeps_the_person_out_and_says_why(client, editor):
    sign_in(client, "editor", PASSWORD)
    client.get(reverse("account-sign-in-enrol"))
    response = client.post(reverse("account-sign-in-enrol"), {"code": "000000"})
    assert response.status_code == 200 and "هذا الرمز غير صحيح" in response.content.decode()
    assert not signed_in(client)
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_an_enrolled_editor_signs_in_with_the_code_from_their_app(client, editor):
    device = authenticator(editor)
    response = sign_in(client, "editor", PASSWORD)
    assert response["Location"] == reverse("account-sign-in-code")
    assert not signed_in(client)
    response = client.post(reverse("account-sign-in-code"), {"code": current_code(device, offset=1)})
    assert response.status_code == 302
    assert signed_in(client)
    login = Entry.objects.get(action="login")
    assert login.actor_id == editor.pk and login.details["second_factor"] == "authenticator"
    assert login.address == "127.0.0.1"


def test_a_wrong_code_is_refused_in_arabic_and_recorded(client, editor):
    authenticator(editor)
    sign_in(client, "editor", PASSWORD)
    response = client.post(reverse("account-sign-in-code"), {"code": "123456"})
    assert response.status_code == 200
    assert "هذا الرمز غير صحيح" in response.content.decode()
    assert not signed_in(client)
    assert Entry.objects.filter(action="second_factor_failed", object_id=str(editor.pk)).count() == 1


def test_a_recovery_code_signs_in_once(client, editor):
    from accounts import second_factor

    authenticator(editor)
    code = second_factor.new_recovery_codes(editor)[0]
    sign_in(client, "editor", PASSWORD)
    assert client.post(reverse("account-sign-in-code"), {"code": code.upper()}).status_code == 302
    assert signed_in(client)
    client.logout()
    sign_in(client, "editor", PASSWORD)
    client.post(reverse("account-sign-in-code"), {"code": code})
    assert not signed_in(client)


def test_the_code_step_cannot_be_reached_without_the_password(client, editor):
    authenticator(editor)
    response = client.post(reverse("account-sign-in-code"), {"code": current_code(editor, offset=1)})
    assert response["Location"] == reverse("admin:login")
    assert not signed_in(client)


def test_a_journalist_may_sign_in_without_a_second_factor(client, journalist):
    response = sign_in(client, "journalist", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert signed_in(client)


def test_a_journalist_who_set_up_a_code_is_asked_for_it(client, journalist):
    authenticator(journalist)
    assert sign_in(client, "journalist", PASSWORD)["Location"] == reverse("account-sign-in-code")
    assert not signed_in(client)


def test_a_journalist_can_set_up_two_factor_sign_in_from_the_admin(client, journalist):
    sign_in(client, "journalist", PASSWORD)
    page = client.get(reverse("account-sign-in-enrol")).content.decode()
    client.post(reverse("account-sign-in-enrol"), {"code": code_from_enrol_page(page)})
    assert TOTPDevice.objects.filter(user=journalist, confirmed=True).exists()
    assert "تسجيل الدخول بخطوتين مفعّل" in client.get(reverse("account-security")).content.decode()


def test_the_requirement_follows_the_publish_permission_not_the_group_name(client):
    reporter = UserFactory(username="reporter", role="Journalists")
    reporter.user_permissions.add(Permission.objects.get(codename="publish_article"))
    assert sign_in(client, "reporter", PASSWORD)["Location"] == reverse("account-sign-in-enrol")


def test_a_session_that_lost_its_second_factor_reaches_no_admin_page(client, editor):
    client.force_login(editor)
    assert signed_in(client)
    TOTPDevice.objects.filter(user=editor).delete()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_a_chief_editor_resets_a_colleagues_second_factor(client, chief, editor):
    device = authenticator(editor)
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_user_change", args=[editor.pk])).content.decode()
    assert reverse("admin:accounts_user_reset_2fa", args=[editor.pk]) in page
    response = client.post(reverse("admin:accounts_user_reset_2fa", args=[editor.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert Entry.objects.filter(action="second_factor_reset", actor_id=chief.pk, object_id=str(editor.pk)).exists()
    client.logout()
    assert sign_in(client, "editor", PASSWORD)["Location"] == reverse("account-sign-in-enrol")


def test_an_editor_cannot_reset_anyones_second_factor(client, editor, chief):
    device = authenticator(chief)
    client.force_login(editor)
    assert client.post(reverse("admin:accounts_user_reset_2fa", args=[chief.pk])).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_idle_staff_session_ends_and_the_login_page_says_why(client, journalist):
    client.force_login(journalist)
    assert signed_in(client)
    session = client.session
    session[sessions.LAST_SEEN] -= 31 * 60
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "خرجت من حسابك بعد مدة دون نشاط" in page
    assert Entry.objects.filter(action="session_expired", actor_id=journalist.pk).exists()


def test_an_active_session_stays(client, journalist):
    client.force_login(journalist)
    session = client.session
    session[sessions.LAST_SEEN] -= 29 * 60
    session.save()
    assert signed_in(client)
    assert signed_in(client)


def test_the_idle_limit_is_a_setting(client, journalist, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(journalist)
    session = client.session
    session[sessions.LAST_SEEN] -= 6 * 60
    session.save()
    assert not signed_in(client)


def test_public_pages_still_set_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies
