"""Editors correct published stories from the admin; readers see it at once, cached pages included."""

import pytest
from django.urls import reverse

from .admin_forms import change_form_data
from .factories import published

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_correction_shows_on_the_story_page_at_once_and_sets_updated_at(
    client, editor, django_capture_on_commit_callbacks
):
    article = published(headline_ar="حصيلة ضحايا الزلزال ترتفع", created_by=editor)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200  # now cached
    before = article.updated_at

    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    prefix = "corrections"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-text_ar": "صُحّح عدد الضحايا من ١٢ إلى ٢١.",
            f"{prefix}-0-text_en": "",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    client.logout()

    article.refresh_from_db()
    assert article.updated_at > before
    correction = article.corrections.get()
    assert correction.created_by == editor
    html = client.get(url).content.decode()
    assert "صُحّح عدد الضحايا من ١٢ إلى ٢١." in html


def test_editing_a_public_story_shows_at_once_on_cached_pages(client, editor, django_capture_on_commit_callbacks):
    article = published(headline_ar="عنوان قبل التصحيح", created_by=editor)
    url = article.get_absolute_url()
    assert "عنوان قبل التصحيح" in client.get(url).content.decode()
    assert "عنوان قبل التصحيح" in client.get("/").content.decode()

    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data["headline_ar"] = "عنوان بعد التصحيح"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    client.logout()

    assert "عنوان بعد التصحيح" in client.get(url).content.decode()
    assert "عنوان بعد التصحيح" in client.get("/").content.decode()


def test_journalists_cannot_add_corrections(client, journalist, editor):
    article = published(created_by=journalist)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(article)))
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-text_ar": "تصحيح من صحفي"})
    client.force_login(journalist)
    assert client.post(change_url(article), data).status_code == 403
    assert not article.corrections.exists()
