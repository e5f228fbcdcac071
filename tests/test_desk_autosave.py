"""Autosave on the server: a draft per person and story, never the story itself; offered back
with a diff; ended by that person's save; bounded in size; and a stale form's save meets an
Arabic page that keeps the work, not a bare 403."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles import editing
from articles.models import Article, Revision
from desk import autosave
from desk.models import AutosaveDraft

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def keep(client, article, data, base):
    return client.post(
        reverse("desk:autosave"),
        json.dumps({"article": article.pk if article else "", "base_version": base, "data": data}),
        content_type="application/json",
    )


@pytest.fixture
def draft_story(journalist):
    return ArticleFactory(created_by=journalist, headline_ar="العنوان المحفوظ", body_ar="<p>النص المحفوظ.</p>")


def test_autosave_keeps_a_draft_and_never_touches_the_story(client, journalist, draft_story):
    client.force_login(journalist)
    revisions_before = Revision.objects.count()
    response = keep(client, draft_story, {"headline_ar": "عنوان جديد أكتبه", "body_ar": "<p>نص جديد</p>"}, 1)
    assert response.status_code == 200 and response.json()["stale"] is False
    draft_story.refresh_from_db()
    assert (draft_story.headline_ar, draft_story.version) == ("العنوان المحفوظ", 1)
    assert Revision.objects.count() == revisions_before
    assert AutosaveDraft.objects.get().data["headline_ar"] == "عنوان جديد أكتبه"
    keep(client, draft_story, {"headline_ar": "عنوان أحدث"}, 1)
    assert AutosaveDraft.objects.count() == 1, "one draft per person and story, replaced"


def test_the_form_offers_the_draft_back_with_a_diff(client, journalist, draft_story):
    client.force_login(journalist)
    keep(client, draft_story, {"headline_ar": "العنوان الذي كتبته", "body_ar": "<p>النص المحفوظ.</p>"}, 1)
    html = client.get(reverse("admin:articles_article_change", args=[draft_story.pk])).content.decode()
    assert "ما كنت تكتبه لم يُحفظ" in html
    assert "<ins>الذي كتبته</ins>" in html or "الذي" in html.split("revision-diff", 1)[1]
    assert 'id="desk-autosave-draft"' in html


def test_a_draft_that_says_what_the_story_says_is_not_offered(client, journalist, draft_story):
    client.force_login(journalist)
    keep(client, draft_story, {"headline_ar": "العنوان المحفوظ", "body_ar": "<p>النص   المحفوظ.</p>"}, 1)
    html = client.get(reverse("admin:articles_article_change", args=[draft_story.pk])).content.decode()
    assert "desk-restore" not in html


def test_someone_elses_save_marks_the_draft_stale_and_keeps_both(client, journalist, editor, draft_story):
    editing.save_edit(draft_story, editor, editing.Edit(fields={"headline_ar": "عنوان المحرر"}), loaded_version=1)
    client.force_login(journalist)
    answer = keep(client, draft_story, {"headline_ar": "عنوان الصحفية"}, 1).json()
    assert answer["stale"] is True
    draft_story.refresh_from_db()
    assert draft_story.headline_ar == "عنوان المحرر", "autosave never overwrites someone else's save"
    assert autosave.pending(journalist, draft_story).base_version == 1


def test_my_save_ends_my_draft_but_not_someone_elses(client, journalist, editor, draft_story):
    autosave.keep(journalist, draft_story, {"headline_ar": "مسودة الصحفية"}, 1)
    autosave.keep(editor, draft_story, {"headline_ar": "مسودة المحرر"}, 1)
    editing.save_edit(draft_story, journalist, editing.Edit(fields={"headline_ar": "حفظ"}), loaded_version=1)
    assert list(AutosaveDraft.objects.values_list("user__username", flat=True)) == ["editor"]


def test_a_new_storys_draft_ends_when_its_author_creates_a_story(journalist):
    from .factories import SectionFactory

    autosave.keep(journalist, None, {"headline_ar": "خبر جديد لم يُحفظ"}, None)
    assert autosave.pending(journalist, None) is not None
    editing.create_story(Article(headline_ar="خبر جديد", section=SectionFactory()), journalist, editing.Edit())
    assert not AutosaveDraft.objects.exists()


def test_nobody_keeps_a_draft_of_a_story_they_cannot_change(client, other_journalist, draft_story):
    client.force_login(other_journalist)
    assert keep(client, draft_story, {"headline_ar": "ليس خبري"}, 1).status_code == 403
    assert not AutosaveDraft.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, journalist, draft_story):
    client.force_login(journalist)
    response = client.generic(
        "POST",
        reverse("desk:autosave"),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(autosave.MAX_BYTES + 1),
    )
    assert response.status_code == 413


def test_only_typed_fields_are_kept(journalist, draft_story):
    kept = autosave.keep(journalist, draft_story, {"headline_ar": "نص", "status": "published", "version": 9}, 1)
    assert kept.draft.data == {"headline_ar": "نص"}


def test_a_signed_out_autosave_goes_to_the_login_page_and_keeps_nothing(client, draft_story):
    response = keep(client, draft_story, {"headline_ar": "نص"}, 1)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not AutosaveDraft.objects.exists()


def test_a_stale_token_meets_an_arabic_page_that_keeps_the_work(journalist, draft_story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(journalist)
    url = reverse("admin:articles_article_change", args=[draft_story.pk])
    client.get(url)
    response = client.post(
        url, {"headline_ar": "نص", "csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER="http://testserver" + url
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="ar"' in html and "لم يضع شيء مما كتبته" in html
    assert f'href="http://testserver{url}"' in html


def test_a_paragraph_turned_into_a_subheading_is_a_difference(journalist, draft_story):
    autosave.keep(journalist, draft_story, {"body_ar": "<h2>النص المحفوظ.</h2>"}, 1)
    assert autosave.pending(journalist, draft_story) is not None
