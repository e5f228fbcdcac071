"""Staff management as a chief editor uses it: a newsroom form (names, e-mail, role, may sign in),
an invitation or a first password, the right messages, nothing technical on the page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import User
from audit.models import Entry

from .factories import UserFactory
from .second_factor import sign_in

pytestmark = pytest.mark.django_db


def new_staff(client, **fields):
    data = {
        "username": "hala",
        "display_name_ar": "هالة المصري",
        "display_name_en": "Hala al-Masri",
        "email": "hala@example.org",
        "role": Group.objects.get(name="Journalists").pk,
        "is_active": "on",
        "access": "invite",
        "_save": "1",
    }
    data.update(fields)
    return client.post(reverse("admin:accounts_user_add"), data, follow=True)


def invitation_link(text: str) -> str:
    return re.search(r"(http://testserver/admin/account/welcome/[^\s<\"]+/)", text).group(1)


def test_the_add_form_asks_for_what_a_newsroom_knows_in_arabic(client, chief):
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    labels = ["الاسم (بالعربية)", "الاسم (بالإنجليزية)", "البريد الإلكتروني", "الدور", "صحفي", "محرر", "رئيس تحرير"]
    for label in labels:
        assert label in page, label
    for technical in ["staff status", "superuser", "hash", "salt", "Journalists", "Chief editors", "user permissions"]:
        assert technical not in page, technical


def test_a_new_member_with_a_role_can_sign_in_without_ticking_anything_else(client, chief):
    client.force_login(chief)
    new_staff(client, access="password", password1="nine-olive-trees-7", password2="nine-olive-trees-7")
    hala = User.objects.get(username="hala")
    assert hala.is_staff and hala.groups.get().name == "Journalists"
    client.logout()
    assert sign_in(client, "hala", "nine-olive-trees-7")["Location"] == reverse("admin:index")


def test_adding_says_added_and_editing_says_saved(client, chief):
    client.force_login(chief)
    added = new_staff(client)
    assert "صار هالة المصري من طاقم غرفة الأخبار" in added.content.decode()
    hala = User.objects.get(username="hala")
    data = {
        "username": "hala",
        "display_name_ar": "هالة المصري",
        "display_name_en": "Hala al-Masri",
        "email": "hala@example.net",
        "role": Group.objects.get(name="Editors").pk,
        "is_active": "on",
        "admin_language": "ar",
        "_save": "1",
    }
    changed = client.post(reverse("admin:accounts_user_change", args=[hala.pk]), data, follow=True)
    text = changed.content.decode()
    assert "حُفظت التعديلات على هالة المصري" in text
    assert "أضيف" not in text and "أُضيف" not in text
    hala.refresh_from_db()
    assert hala.email == "hala@example.net" and hala.groups.get().name == "Editors"
    assert Entry.objects.filter(action="staff_changed", object_id=str(hala.pk), details__role="Editors").exists()


def test_the_change_page_shows_no_password_hash_or_salt(client, chief, journalist):
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_user_change", args=[journalist.pk])).content.decode()
    assert journalist.password not in page
    for technical in ["md5", "pbkdf2", "salt", "hash", "ملح", "تجزئة"]:
        assert technical not in page.lower(), technical
    assert "تعيين كلمة مرور جديدة" in page and "إرسال دعوة" in page


def test_an_invitation_is_mailed_when_mail_is_configured(client, chief, settings):
    settings.MAIL_CONFIGURED = True
    client.force_login(chief)
    response = new_staff(client)
    assert "أُرسلت دعوة" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hala@example.org"]
    hala = User.objects.get(username="hala")
    assert not hala.has_usable_password()
    link = invitation_link(mail.outbox[0].body)
    client.logout()
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "مرحباً بك في غرفة أخبار تليسكوب" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "nine-olive-trees-7", "new_password2": "nine-olive-trees-7"})
    assert done.status_code == 302
    assert sign_in(client, "hala", "nine-olive-trees-7")["Location"] == reverse("admin:index")
    # One time only.
    again = client.get(link, follow=True).content.decode()
    assert "لم يعد هذا الرابط صالحاً" in again


def test_without_mail_the_chief_editor_is_shown_the_link(client, chief, settings):
    settings.MAIL_CONFIGURED = False
    client.force_login(chief)
    text = new_staff(client).content.decode()
    assert not mail.outbox
    assert "لم تُرسل رسالة الدعوة" in text
    assert invitation_link(text)


def test_a_failing_mail_server_falls_back_to_showing_the_link(client, chief, settings):
    settings.MAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(chief)
    text = new_staff(client).content.decode()
    assert User.objects.filter(username="hala").exists()
    assert invitation_link(text)


def test_a_rejected_form_keeps_what_was_typed_and_says_why_in_arabic(client, chief):
    client.force_login(chief)
    response = new_staff(client, access="password", password1="nine-olive-trees-7", password2="different")
    page = response.content.decode()
    assert "كلمتا المرور غير متطابقتين" in page
    assert 'value="هالة المصري"' in page and 'value="hala@example.org"' in page
    assert not User.objects.filter(username="hala").exists()


def test_the_staff_list_shows_roles_in_arabic(client, chief, journalist, editor):
    client.force_login(chief)
    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "صحفي" in page and "محرر" in page
    assert "Journalists" not in page


def test_role_names_stay_the_contract_names(client, chief):
    client.force_login(chief)
    group = Group.objects.get(name="Editors")
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "محرر" in page
    # The name cannot be changed: code and other parts of the system know the role by it.
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Renamed", "permissions": []})
    assert Group.objects.filter(name="Editors").exists()


def test_the_role_page_lists_permissions_in_arabic(client, chief):
    client.force_login(chief)
    group = Group.objects.get(name="Journalists")
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "خبر: إضافة" in page
    assert "Can add" not in page


def test_a_deactivated_member_cannot_sign_in(client, chief):
    colleague = UserFactory(username="leaving", role="Journalists")
    client.force_login(chief)
    data = {
        "username": "leaving",
        "display_name_ar": colleague.display_name_ar,
        "display_name_en": "",
        "email": "",
        "role": Group.objects.get(name="Journalists").pk,
        "admin_language": "ar",
        "_save": "1",
    }
    assert client.post(reverse("admin:accounts_user_change", args=[colleague.pk]), data).status_code == 302
    client.logout()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "leaving", "correct-horse-battery").status_code == 200
