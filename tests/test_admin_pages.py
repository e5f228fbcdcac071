"""Every admin page loads for every role that may see it, in Arabic and right-to-left by default."""

import pytest
from django.urls import reverse

from .factories import ArticleFactory, AttributionFactory, SectionFactory, SourceFactory, published

pytestmark = pytest.mark.django_db

PAGES = [
    ("admin:index", None),
    ("admin:articles_article_changelist", None),
    ("admin:articles_article_add", None),
    ("admin:articles_article_change", "article"),
    ("admin:articles_section_changelist", None),
    ("admin:articles_source_changelist", None),
    ("admin:articles_source_change", "source"),
    ("admin:articles_tag_changelist", None),
    ("admin:articles_image_changelist", None),
    ("admin:articles_image_add", None),
]
EDITOR_ONLY = [("admin:articles_section_add", None)]
CHIEF_ONLY = [("admin:accounts_user_changelist", None), ("admin:accounts_user_add", None)]


@pytest.fixture
def objects(journalist):
    article = published(headline_ar="روسيا تسحب قواتها", created_by=journalist)
    AttributionFactory(article=article)
    return {"article": article, "source": SourceFactory(), "section": SectionFactory()}


def url(name, key, objects):
    return reverse(name, args=[objects[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key"), PAGES)
@pytest.mark.parametrize("role", ["journalist", "editor", "chief"])
def test_newsroom_pages_load_for_every_role(client, role_users, objects, role, name, key):
    client.force_login(role_users[role])
    response = client.get(url(name, key, objects))
    assert response.status_code == 200, f"{role} got {response.status_code} on {name}"


@pytest.mark.parametrize(("name", "key"), EDITOR_ONLY)
def test_section_editing_is_for_editors(client, role_users, objects, name, key):
    for role, expected in [("journalist", 403), ("editor", 200), ("chief", 200)]:
        client.force_login(role_users[role])
        assert client.get(url(name, key, objects)).status_code == expected, role


def test_journalists_see_sections_read_only(client, journalist, editor, objects):
    change = reverse("admin:articles_section_change", args=[objects["section"].pk])
    client.force_login(journalist)
    assert 'name="_save"' not in client.get(change).content.decode()
    response = client.post(change, {"name_ar": "اسم جديد", "slug": "new", "position": 0})
    assert response.status_code == 403
    client.force_login(editor)
    assert 'name="_save"' in client.get(change).content.decode()


@pytest.mark.parametrize(("name", "key"), CHIEF_ONLY)
def test_staff_management_is_for_chief_editors(client, role_users, objects, name, key):
    for role, expected in [("journalist", 403), ("editor", 403), ("chief", 200)]:
        client.force_login(role_users[role])
        assert client.get(url(name, key, objects)).status_code == expected, role


def test_admin_is_arabic_and_right_to_left_by_default(client, editor, objects):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "روسيا تسحب قواتها" in html
    assert "اختر" in html or "القصص" in html or "قصة" in html


def test_admin_follows_a_staff_members_english_preference(client, editor, objects):
    editor.admin_language = "en"
    editor.save()
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_english_translation_is_grouped_and_optional(client, editor, objects):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "collapse" in html
    assert 'name="headline_en"' in html and 'name="headline_ar"' in html
    assert 'dir="ltr"' in html


def test_anonymous_source_is_hidden_in_the_admin_without_the_identity_permission(client, editor, chief):
    article = ArticleFactory(created_by=editor)
    secret = SourceFactory(name_ar="العميد فلان الفلاني")
    AttributionFactory(article=article, source=secret, description_ar="ضابط كبير", is_anonymous=True)
    change = reverse("admin:articles_article_change", args=[article.pk])

    client.force_login(editor)
    html = client.get(change).content.decode()
    assert "ضابط كبير" in html
    assert "العميد فلان الفلاني" not in html

    client.force_login(chief)
    assert "العميد فلان الفلاني" in client.get(change).content.decode()


def test_source_identity_fields_are_for_chief_editors_only(client, editor, chief):
    source = SourceFactory(identity="رقم هاتفه 0999")
    change = reverse("admin:articles_source_change", args=[source.pk])
    client.force_login(editor)
    assert "0999" not in client.get(change).content.decode()
    client.force_login(chief)
    assert "0999" in client.get(change).content.decode()
