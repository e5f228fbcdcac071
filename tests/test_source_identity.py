"""Who stands behind an anonymous attribution is seen only by holders of
`articles.view_source_identity` (chief editors), on every admin page that can show an attribution
(issue 11, item 3): editable and read-only inlines, revisions and their diff, the conflict diff,
the source autocomplete, the source admin and the story list's filters, the object history."""

import pytest
from django.urls import reverse

from articles import editing, revisions
from articles.models import Status

from .admin_forms import change_form_data
from .factories import ArticleFactory, AttributionFactory, BylineFactory, SourceFactory, published

pytestmark = pytest.mark.django_db

SECRET_NAME = "العقيد سامر الخطيب"
SECRET_IDENTITY = "ضابط في الفرقة الرابعة، هاتفه عند رئيس التحرير"
PROTECTED = "مصدر محمي"


@pytest.fixture
def secret():
    return SourceFactory(name_ar=SECRET_NAME, identity=SECRET_IDENTITY, private_notes="التقيناه مرتين في بيروت")


def cite(article, source, anonymous=True, description="ضابط رفيع"):
    return AttributionFactory(article=article, source=source, is_anonymous=anonymous, description_ar=description)


def source_link(source):
    return reverse("admin:articles_source_change", args=[source.pk])


def assert_hidden(html, source, who):
    assert SECRET_NAME not in html, f"{who} sees the name of the source behind an anonymous attribution"
    assert source_link(source) not in html, f"{who} gets a link to the source behind an anonymous attribution"
    assert SECRET_IDENTITY not in html


def change_page(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk]))


@pytest.mark.parametrize(
    ("whose", "status"),
    [("other", Status.DRAFT), ("own", Status.SUBMITTED), ("own", Status.PUBLISHED), ("other", Status.PUBLISHED)],
)
def test_read_only_attributions_hide_the_source_from_journalists(
    client, journalist, other_journalist, secret, whose, status
):
    author = journalist if whose == "own" else other_journalist
    article = (
        published(created_by=author) if status == Status.PUBLISHED else ArticleFactory(created_by=author, status=status)
    )
    BylineFactory(article=article, author=author)
    cite(article, secret)
    named = SourceFactory(name_ar="وزارة الدفاع الروسية")
    cite(article, named, anonymous=False, description="الوزارة")
    client.force_login(journalist)
    response = change_page(client, article)
    assert response.status_code == 200 and not response.context["can_edit_story"]
    html = response.content.decode()
    assert_hidden(html, secret, "a journalist reading the story")
    assert PROTECTED in html and "ضابط رفيع" in html
    assert "وزارة الدفاع الروسية" in html, "a named source should still be shown"


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_editable_attributions_hide_the_source_without_the_right(client, role_users, secret, role):
    person = role_users[role]
    article = ArticleFactory(created_by=person)
    BylineFactory(article=article, author=person)
    cite(article, secret)
    client.force_login(person)
    response = change_page(client, article)
    assert response.context["can_edit_story"]
    html = response.content.decode()
    assert_hidden(html, secret, role)
    assert PROTECTED in html
    assert 'name="attributions-0-source"' not in html, "the form holds the protected source's id"


def test_saving_the_form_keeps_the_hidden_source(client, editor, secret):
    article = ArticleFactory(created_by=editor, headline_ar="قبل")
    cite(article, secret)
    client.force_login(editor)
    data = change_form_data(change_page(client, article))
    data["headline_ar"] = "بعد"
    assert client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code == 302
    attribution = article.attributions.get()
    assert attribution.source == secret and attribution.is_anonymous


def test_chief_editors_see_who_the_source_is(client, chief, secret):
    article = published()
    cite(article, secret)
    client.force_login(chief)
    html = change_page(client, article).content.decode()
    assert SECRET_NAME in html


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_revisions_and_their_diff_hide_the_source(client, role_users, editor, secret, role):
    article = ArticleFactory(created_by=editor)
    revisions.save_revision(article, editor)
    cite(article, secret)
    revisions.save_revision(article, editor)
    client.force_login(role_users[role])
    response = client.get(reverse("admin:articles_article_revisions", args=[article.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert_hidden(html, secret, role)
    assert "ضابط رفيع" in html


def test_the_diff_does_not_even_say_the_hidden_source_changed(editor, chief, secret):
    article = ArticleFactory(created_by=editor)
    cite(article, SourceFactory(name_ar="مصدر أول"))
    article.attributions.update(is_anonymous=True)
    before = revisions.snapshot(article)
    article.attributions.update(source=secret)
    after = revisions.snapshot(article)
    assert revisions.diff(before, after, user=editor) == []
    assert "سامر الخطيب" in revisions.diff(before, after, user=chief)[0].html


def test_the_conflict_diff_hides_the_source(client, editor, chief, secret):
    article = ArticleFactory(created_by=editor, headline_ar="عنوان")
    revisions.save_revision(article, editor)
    client.force_login(editor)
    stale = change_form_data(change_page(client, article))
    edit = editing.Edit(
        fields={"headline_ar": "عنوان عدّله رئيس التحرير"},
        attributions=[editing.Citation(source_id=secret.pk, description_ar="ضابط رفيع", is_anonymous=True)],
    )
    editing.save_edit(article, chief, edit, loaded_version=int(stale["loaded_version"]))
    stale["headline_ar"] = "عنوان المحرر"
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), stale)
    assert response.status_code == 200 and response.context["conflict_changes"]
    html = response.content.decode()
    assert_hidden(html, secret, "an editor shown a conflict")
    assert "ضابط رفيع" in html


@pytest.mark.parametrize("role", ["journalist", "editor", "chief"])
def test_the_source_autocomplete_cannot_search_identities(client, role_users, secret, role):
    client.force_login(role_users[role])
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "attribution", "field_name": "source"}
    for term in ["الفرقة الرابعة", "بيروت"]:
        results = client.get(url, {**params, "term": term}).json()["results"]
        assert results == [], f"{role} found a source by its private identity or notes ({term})"
    results = client.get(url, {**params, "term": "العقيد"}).json()["results"]
    assert results == [{"id": str(secret.pk), "text": SECRET_NAME}], "only the registry name, nothing about citations"


@pytest.mark.parametrize(
    "params",
    [
        {"identity__icontains": "الفرقة"},
        {"private_notes__startswith": "التقيناه"},
        {"attributions": "1"},
        {"attributions__is_anonymous": "1"},
    ],
)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_the_source_list_cannot_be_filtered_by_what_is_private(client, role_users, secret, params, role):
    cite(published(), secret)
    client.force_login(role_users[role])
    response = client.get(reverse("admin:articles_source_changelist"), params)
    assert response.status_code == 400, f"{role} filtered sources by {params}"


def test_chief_editors_may_filter_sources_by_identity(client, chief, secret):
    client.force_login(chief)
    response = client.get(reverse("admin:articles_source_changelist"), {"identity__icontains": "الفرقة"})
    assert response.status_code == 200 and SECRET_NAME in response.content.decode()


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_the_story_list_cannot_be_filtered_by_the_source_of_an_attribution(client, role_users, secret, role):
    cite(published(), secret)
    client.force_login(role_users[role])
    for params in [{"attributions__source": secret.pk}, {"attributions__source__name_ar": SECRET_NAME}]:
        assert client.get(reverse("admin:articles_article_changelist"), params).status_code == 400, params


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_the_source_pages_show_nothing_private(client, role_users, secret, role):
    cite(published(), secret)
    client.force_login(role_users[role])
    for url in [reverse("admin:articles_source_changelist"), source_link(secret)]:
        html = client.get(url).content.decode()
        assert SECRET_IDENTITY not in html and "بيروت" not in html, url


def test_the_story_history_page_names_no_source(client, editor, journalist, secret):
    article = ArticleFactory(created_by=editor)
    client.force_login(editor)
    data = change_form_data(change_page(client, article))
    data.update(
        {
            "attributions-TOTAL_FORMS": "1",
            "attributions-0-source": str(secret.pk),
            "attributions-0-description_ar": "ضابط رفيع",
            "attributions-0-is_anonymous": "on",
            "attributions-0-position": "0",
        }
    )
    assert client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code == 302
    for person in (editor, journalist):
        client.force_login(person)
        html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
        assert SECRET_NAME not in html
