"""The story form's search boxes: co-authors for anyone who writes stories, pictures with thumbnails."""

import pytest
from django.urls import reverse

from articles import images

from .factories import ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


def search(client, model, field, term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model, "field_name": field, "term": term},
    )


def test_journalist_can_search_for_a_co_author_by_name(client, journalist, editor):
    client.force_login(journalist)
    response = search(client, "byline", "author", "عمر")
    assert response.status_code == 200, "the byline box answered a journalist with an error"
    assert [item["text"] for item in response.json()["results"]] == ["عمر الخطيب"]


def test_co_author_search_offers_active_staff_only(client, journalist):
    UserFactory(display_name_ar="عمر المتقاعد", is_active=False)
    UserFactory(display_name_ar="عمر القارئ", is_staff=False)
    client.force_login(journalist)
    assert search(client, "byline", "author", "عمر").json()["results"] == []


def test_co_author_search_does_not_reveal_e_mail_addresses(client, journalist, editor):
    editor.email = "omar.private@example.org"
    editor.save()
    client.force_login(journalist)
    assert search(client, "byline", "author", "omar.private").json()["results"] == []


def test_someone_who_cannot_write_stories_cannot_list_the_staff(client):
    client.force_login(UserFactory(username="visitor"))  # staff, but in no role
    assert search(client, "byline", "author", "").status_code == 403


def test_picture_search_answers_carry_a_small_square_thumbnail(client, journalist):
    picture = ImageFactory(alt_ar="شاحنات عند المعبر")
    images.make_renditions(picture)
    client.force_login(journalist)
    [answer] = search(client, "article", "lead_image", "شاحنات").json()["results"]
    square = picture.renditions.get(file=answer["thumbnail"].removeprefix("/media/"))
    assert square.crop == "1:1"
    assert square.width == min(r.width for r in picture.renditions.filter(crop="1:1"))


def test_the_chosen_lead_picture_is_shown_beside_its_box(client, editor):
    from .factories import ArticleFactory

    picture = ImageFactory()
    images.make_renditions(picture)
    article = ArticleFactory(lead_image=picture)
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    preview = html.split('class="image-picker-preview"')[1].split(">")[0]
    assert "renditions/" in preview and "hidden" not in preview
