"""The story admin as journalists and editors meet it: the read-only view, bylines, the list's
filters and search, the dashboard's first button."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article

from .admin_forms import change_form_data
from .factories import (
    ArticleFactory,
    AttributionFactory,
    BylineFactory,
    SectionFactory,
    SourceFactory,
    UserFactory,
    published,
)

pytestmark = pytest.mark.django_db

BODY = "<p>أعلنت الحكومة اليوم خطة جديدة.</p><h2>ردود الفعل</h2><blockquote><p>قال وزير: إنها البداية.</p></blockquote>"


@pytest.fixture
def submitted(journalist):
    article = ArticleFactory(created_by=journalist, body_ar=BODY, tags=["دمشق", "اقتصاد"])
    BylineFactory(article=article, author=journalist)
    workflow.transition(article, "submit", journalist)
    return article


def change_page(client, article) -> str:
    return client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()


def test_a_story_read_without_the_right_to_change_it_shows_its_body_as_text(client, journalist, submitted):
    client.force_login(journalist)
    html = change_page(client, submitted)
    assert "&lt;p&gt;" not in html, "the body shows as raw HTML"
    rendered = '<div class="story-text" dir="rtl" lang="ar"><p>أعلنت الحكومة اليوم خطة جديدة.</p><h2>ردود الفعل</h2>'
    assert rendered in html


def test_a_story_read_without_the_right_to_change_it_lists_its_tags(client, journalist, submitted):
    client.force_login(journalist)
    html = change_page(client, submitted)
    assert '<ul class="tag-chips"><li>اقتصاد</li><li>دمشق</li></ul>' in html
    for english in ("Existing tags", "New tags", "None"):
        assert english not in html


def test_editors_still_get_the_editable_form(client, editor, submitted):
    client.force_login(editor)
    html = change_page(client, submitted)
    assert 'name="body_ar"' in html and 'class="story-text"' not in html


def test_a_new_story_starts_with_its_writer_as_first_byline(client, journalist):
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_add"))
    [first] = response.context["inline_admin_formsets"][0].formset.forms
    assert first.initial["author"] == journalist.pk


def test_a_journalist_adds_a_co_author_and_stays_first_in_the_byline(client, journalist, editor):
    client.force_login(journalist)
    add = reverse("admin:articles_article_add")
    data = change_form_data(client.get(add))
    data.pop("existing_tags")  # a browser sends nothing for an empty multiple choice
    data.update(
        {
            "headline_ar": "خبر بقلمين",
            "section": SectionFactory().pk,
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": editor.pk,
            "bylines-1-position": "1",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(headline_ar="خبر بقلمين")
    assert [b.author for b in article.bylines.all()] == [journalist, editor]


def test_story_list_filters_by_author(client, editor, journalist, other_journalist):
    hers = BylineFactory(author=journalist).article
    BylineFactory(author=other_journalist)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"author": journalist.pk})
    assert list(response.context["cl"].result_list) == [hers]


def test_story_list_filters_by_tag(client, editor):
    tagged = ArticleFactory(tags=["حلب"])
    ArticleFactory(tags=["دمشق"])
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"tag": tagged.tags.get().slug})
    assert list(response.context["cl"].result_list) == [tagged]


def test_author_and_tag_filters_are_drop_down_menus(client, editor, journalist):
    BylineFactory(author=journalist, article=ArticleFactory(tags=["حلب"]))
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert html.count("data-filter-select") == 2
    assert f'?author={journalist.pk}"' in html and ">سارة الحلبي</option>" in html


def test_admin_search_finds_a_story_by_its_authors_name(client, editor, journalist):
    article = ArticleFactory(headline_ar="افتتاح معبر جديد")
    BylineFactory(article=article, author=journalist)
    ArticleFactory(headline_ar="خبر آخر")
    from articles import search

    search.update_documents(list(Article.objects.values_list("pk", flat=True)))
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"q": "سارة الحلبي"})
    assert list(response.context["cl"].result_list) == [article]


def test_an_author_filter_that_is_not_a_person_is_refused_without_an_error_page(client, editor, journalist):
    BylineFactory(author=journalist)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"author": "x"})
    # Django's answer to a filter it cannot apply: the list again, with ?e=1.
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_dashboard_starts_with_a_new_story_button(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("admin:index")).content.decode()
    assert f'<a class="button new-story" href="{reverse("admin:articles_article_add")}">خبر جديد</a>' in html


def test_no_new_story_button_for_staff_who_cannot_write(client):
    client.force_login(UserFactory(username="visitor"))
    assert "new-story" not in client.get(reverse("admin:index")).content.decode()


def test_story_list_shows_times_in_words_and_breaking_in_one_column(client, editor):
    published(headline_ar="عاجل من حلب", urgency=3, updated_at=timezone.now() - timedelta(minutes=5))
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "منذ ٥ دقائق</time>" in html
    assert re.search(r'<span class="breaking-mark" title="[^"]+">عاجل</span>', html)


def test_side_menu_is_replaced_by_the_headers_links(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert 'id="nav-sidebar"' not in html
    assert 'class="newsroom-nav"' in html and ">الصور</a>" in html
    # What the person may not see is not offered.
    assert reverse("admin:accounts_user_changelist") not in html


def test_a_read_only_story_keeps_its_anonymous_sources_hidden(client, journalist):
    article = published(headline_ar="مصادر مجهلة")
    AttributionFactory(
        article=article, source=SourceFactory(name_ar="العقيد فلان"), description_ar="ضابط سوري", is_anonymous=True
    )
    AttributionFactory(article=article, source=SourceFactory(name_ar="الكرملين"), description_ar="الرئاسة الروسية")
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "العقيد فلان" not in html and "ضابط سوري" in html
    assert "مصدر محمي" in html and "الكرملين" in html


def test_a_read_only_story_marks_its_english_translation_as_english(client, journalist):
    article = published(headline_en="A new crossing opens", body_en="<p>The crossing opened today.</p>")
    client.force_login(journalist)
    html = change_page(client, article)
    assert '<div lang="en" dir="ltr">A new crossing opens</div>' in html
    assert '<div class="story-text" dir="ltr" lang="en"><p>The crossing opened today.</p></div>' in html
