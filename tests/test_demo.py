from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from articles.management.commands import load_demo
from articles.models import Article, Attribution, Revision, Section, Source, Transition
from newsroom import localdb

from .factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = [Article, Attribution, Revision, Section, Source, Transition]


def counts():
    User = get_user_model()
    return {model.__name__: model.objects.count() for model in [*MODELS, User]}


def test_load_demo_twice_gives_the_same_rows():
    call_command("load_demo", stdout=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == first
    assert first["Section"] >= 4 and first["Source"] >= 3 and first["User"] == 3


def test_demo_story_is_the_published_sample_with_subheadings_tags_and_attributions():
    call_command("load_demo", stdout=StringIO())
    story = Article.objects.public().get(slug=load_demo.STORY_SLUG)
    assert story.credit.name_ar == "وكالة تليسكوب الإخبارية"
    assert story.body_ar.count("<h2>") == 4
    assert "<h2>ردود فعل موسكو</h2>" in story.body_ar
    assert not story.body_ar.startswith("<p>وكالة تليسكوب")
    assert set(story.tags.values_list("name", flat=True)) >= {"روسيا", "سوريا", "حميميم"}
    anonymous = story.attributions.filter(is_anonymous=True).values_list("description_ar", flat=True)
    assert "أربعة مسؤولين سوريين" in anonymous
    assert story.attributions.filter(source__slug="kremlin", is_anonymous=False).exists()
    assert Article.objects.public("en").filter(pk=story.pk).exists()


def test_demo_has_one_staff_member_per_role():
    call_command("load_demo", stdout=StringIO())
    User = get_user_model()
    for username, perm in [
        ("journalist", "articles.submit_article"),
        ("editor", "articles.publish_article"),
        ("chief", "articles.view_source_identity"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff and user.has_perm(perm), username
    assert not User.objects.get(username="journalist").has_perm("articles.publish_article")
    assert not User.objects.get(username="editor").has_perm("articles.view_source_identity")


def test_demo_editors_sign_in_with_a_code_the_demo_prints(client):
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())
    printed = out.getvalue()
    assert printed.count("otpauth://totp/") == 2 and "demo_code editor" in printed and "demo_code chief" in printed
    assert TOTPDevice.objects.filter(user__username__in=["editor", "chief"], confirmed=True).count() == 2
    assert not TOTPDevice.objects.filter(user__username="journalist").exists()
    code = StringIO()
    call_command("demo_code", "editor", stdout=code)
    client.post(reverse("admin:login"), {"username": "editor", "password": "telescope-editor"})
    assert client.post(reverse("account-sign-in-code"), {"code": code.getvalue().strip()}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# Where the demo belongs


def test_load_demo_refuses_a_database_with_staff_it_did_not_make():
    UserFactory(username="rasha", role="Chief editors")
    with pytest.raises(CommandError, match="rasha"):
        call_command("load_demo", stdout=StringIO())
    assert not Article.objects.exists() and not Section.objects.exists()
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["rasha"]


def test_load_demo_never_takes_over_an_account_with_a_demo_name():
    UserFactory(username="chief", is_staff=False)
    with pytest.raises(CommandError, match="chief"):
        call_command("load_demo", stdout=StringIO())
    chief = get_user_model().objects.get(username="chief")
    assert not chief.groups.exists() and not chief.is_staff
    assert not chief.check_password("telescope-chief")


def test_a_demo_account_whose_password_was_changed_is_no_longer_the_demos():
    call_command("load_demo", stdout=StringIO())
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("a-private-password-now")
    editor.save()
    with pytest.raises(CommandError, match="editor"):
        call_command("load_demo", stdout=StringIO())


def test_if_local_skips_with_a_notice_a_database_that_is_not_the_local_one(tmp_path, monkeypatch):
    monkeypatch.setattr(localdb, "URL_FILE", tmp_path / "database_url")
    (tmp_path / "database_url").write_text("postgres://postgres@127.0.0.1:5432/some_other_database\n")
    out = StringIO()
    call_command("load_demo", "--if-local", stdout=out)
    assert "not the local demo database" in out.getvalue()
    assert not get_user_model().objects.exists() and not Article.objects.exists()


def local_url_of_this_database() -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def test_if_local_loads_the_local_database_and_skips_quietly_once_it_has_other_staff(tmp_path, monkeypatch):
    monkeypatch.setattr(localdb, "URL_FILE", tmp_path / "database_url")
    (tmp_path / "database_url").write_text(local_url_of_this_database() + "\n")
    call_command("load_demo", "--if-local", stdout=StringIO())
    assert get_user_model().objects.filter(username="chief", is_staff=True).exists()

    # Someone ran createsuperuser on the demo database: make run goes on serving without the demo.
    get_user_model().objects.create_superuser("admin", "admin@example.com", "a-long-password")
    out = StringIO()
    call_command("load_demo", "--if-local", stdout=out)
    assert "staff the demo did not make (admin)" in out.getvalue()


def test_the_wire_demo_gives_demo_daily_the_sample_story_through_the_api(client):
    from newswire import keys
    from newswire.models import Subscriber

    call_command("load_demo", stdout=StringIO())
    call_command("load_wire_demo", stdout=StringIO())
    call_command("load_wire_demo", stdout=StringIO())
    outlet = Subscriber.objects.get(name="صحيفة تجريبية")
    [product] = outlet.products.all()
    assert product.language_codes == ["ar"] and [s.slug for s in product.sections.all()] == ["syria"]
    key = keys.make_key(outlet, "demo")[1]
    items = client.get("/api/v1/items", HTTP_AUTHORIZATION=f"Bearer {key}").json()["items"]
    story = Article.objects.get(slug=load_demo.STORY_SLUG)
    assert [item["uri"] for item in items] == [f"urn:telescope-news:story:{story.pk}:ar"]
