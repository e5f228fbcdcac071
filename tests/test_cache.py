"""Anonymous pages are cacheable and cached; what editors change shows at once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from articles import cache as page_cache
from articles import workflow
from articles.models import Article

from .factories import ArticleFactory, BylineFactory, CorrectionFactory, SectionFactory, published

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = ["/", "/section/syria/", "/feeds/latest/", "/en/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def story(db):
    return published(
        section=SectionFactory(slug="syria"),
        headline_ar="الخبر الأصلي",
        headline_en="The original story",
        body_en="<p>Text.</p>",
    )


def url(article, language="ar"):
    with translation.override(language):
        return article.get_absolute_url()


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "story"])
def test_anonymous_pages_set_no_cookie_carry_no_csrf_token_and_say_how_to_cache(client, story, path):
    response = client.get(url(story) if path == "story" else path)
    assert response.status_code == 200
    assert not response.cookies, f"{path} sets {list(response.cookies)}"
    assert b"csrfmiddlewaretoken" not in response.content
    assert "public" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")


def test_conditional_get_answers_304(client, story):
    first = client.get(url(story))
    by_etag = client.get(url(story), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url(story), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert client.get(url(story), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_repeat_visits_are_served_from_the_shared_cache(client, story):
    client.get(url(story))
    # Changed behind the cache's back (no invalidation): the cached page is still served.
    Article.objects.filter(pk=story.pk).update(headline_ar="تغيير لم يُعلن")
    assert "الخبر الأصلي" in client.get(url(story)).content.decode()


def test_signed_in_requests_bypass_the_cache(client, story):
    client.get(url(story))
    Article.objects.filter(pk=story.pk).update(headline_ar="تغيير لم يُعلن")
    client.cookies["sessionid"] = "anything"
    assert "تغيير لم يُعلن" in client.get(url(story)).content.decode()


def warm(client, *paths):
    for path in paths:
        assert client.get(path).status_code in (200, 410), path


def test_publishing_shows_at_once_on_home_section_and_feeds(
    client, story, editor, journalist, django_capture_on_commit_callbacks
):
    warm(client, "/", "/section/syria/", "/feeds/latest/", "/feeds/section/syria/")
    draft = ArticleFactory(section=story.section, headline_ar="خبر نُشر للتو", created_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(draft, "submit", journalist)
        workflow.transition(draft, "publish", editor)
    for path in ("/", "/section/syria/", "/feeds/latest/", "/feeds/section/syria/", url(draft)):
        assert "خبر نُشر للتو" in client.get(path).content.decode(), path


def test_unpublishing_removes_the_story_at_once(client, story, editor, django_capture_on_commit_callbacks):
    warm(client, "/", "/section/syria/", "/feeds/latest/", url(story))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(story, "unpublish", editor, comment="خطأ في المصدر")
    assert client.get(url(story)).status_code == 410
    for path in ("/", "/section/syria/", "/feeds/latest/"):
        assert "الخبر الأصلي" not in client.get(path).content.decode(), path


def test_editing_a_public_story_or_adding_a_correction_shows_at_once(client, story, django_capture_on_commit_callbacks):
    warm(client, "/", url(story), "/feeds/latest/")
    # What the admin's save path does: save, then invalidate on commit.
    with django_capture_on_commit_callbacks(execute=True):
        story.headline_ar = "العنوان بعد التحرير"
        story.save()
        page_cache.invalidate_article(story)
    for path in ("/", url(story), "/feeds/latest/"):
        assert "العنوان بعد التحرير" in client.get(path).content.decode(), path
    with django_capture_on_commit_callbacks(execute=True):
        CorrectionFactory(article=story, text_ar="صُحّح التاريخ.")
        page_cache.invalidate_article(story)
    assert "صُحّح التاريخ." in client.get(url(story)).content.decode()


def test_a_scheduled_story_appears_when_due_without_any_write(
    client, story, editor, journalist, monkeypatch, django_capture_on_commit_callbacks
):
    due = timezone.now() + timedelta(minutes=30)
    scheduled = ArticleFactory(section=story.section, headline_ar="خبر مجدول", publish_at=due, created_by=journalist)
    BylineFactory(article=scheduled)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(scheduled, "submit", journalist)
        workflow.transition(scheduled, "publish", editor)
    assert "خبر مجدول" not in client.get("/").content.decode()
    before = page_cache.generation()
    later = due + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "خبر مجدول" in client.get("/").content.decode()
    # Not merely an expired entry: the generation moved on when the story fell due.
    assert page_cache.generation() != before


def test_losing_the_generation_record_never_serves_old_pages(client, story):
    client.get(url(story))
    Article.objects.filter(pk=story.pk).update(headline_ar="بعد ضياع السجل")
    cache.delete(page_cache.GENERATION_KEY)  # evicted, or the cache restarted without its pages
    assert "بعد ضياع السجل" in client.get(url(story)).content.decode()


def test_publishing_renews_the_lists_and_keeps_other_stories_pages(
    client, story, editor, journalist, django_capture_on_commit_callbacks
):
    client.get(url(story))
    warm(client, "/")
    draft = ArticleFactory(section=story.section, headline_ar="خبر جديد في القائمة", created_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(draft, "submit", journalist)
        workflow.transition(draft, "publish", editor)
    assert "خبر جديد في القائمة" in client.get("/").content.decode()
    # Under load a publish a second must not rebuild every story page: this one is still stored.
    assert client.get(url(story)).wsgi_request.page_cache == "hit"


def test_unpublishing_renews_every_page_so_no_related_box_still_lists_it(
    client, story, editor, django_capture_on_commit_callbacks
):
    neighbour = published(section=story.section, headline_ar="خبر مجاور")
    assert "الخبر الأصلي" in client.get(url(neighbour)).content.decode()  # in its related stories
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(story, "unpublish", editor, comment="خطأ في المصدر")
    again = client.get(url(neighbour))
    assert again.wsgi_request.page_cache == "miss"
    assert "الخبر الأصلي" not in again.content.decode()


def test_saving_and_moving_drafts_leaves_every_stored_page_alone(
    client, story, journalist, editor, django_capture_on_commit_callbacks
):
    warm(client, "/", url(story))
    draft = ArticleFactory(section=story.section, created_by=journalist)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(draft, "submit", journalist)
        workflow.transition(draft, "approve", editor)
    assert client.get("/").wsgi_request.page_cache == "hit"
    assert client.get(url(story)).wsgi_request.page_cache == "hit"
