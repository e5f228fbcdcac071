"""Live coverage: editors run it, entries keep their revisions, readers' pages and the entries feed
show them (through the page cache, with ETags), JSON-LD LiveBlogPosting, and the page's script is
a static file under the strict CSP."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from desk import live
from desk.models import LiveEntry

from .factories import ArticleFactory, ImageFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return published(headline_ar="مباشر: اجتماع عمّان")


def jsonld_blocks(html: str) -> list[dict]:
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_a_journalist_cannot_run_a_live_page(client, story, journalist):
    with pytest.raises(PermissionDenied):
        live.start(story, journalist)
    client.force_login(journalist)
    assert client.get(reverse("desk:live", args=[story.pk])).status_code == 403
    assert client.post(reverse("desk:live", args=[story.pk]), {"action": "start"}).status_code == 403


def test_editor_starts_a_live_page_and_adds_entries_from_the_console(client, story, editor):
    client.force_login(editor)
    client.post(reverse("desk:live", args=[story.pk]), {"action": "start"})
    response = client.post(reverse("desk:live", args=[story.pk]), {"kind": "text", "text": "وصل الوزراء."})
    assert response.status_code == 302
    client.post(reverse("desk:live", args=[story.pk]), {"kind": "quote", "text": "العودة طوعية.", "quote_by": "الوزير"})
    assert list(LiveEntry.objects.values_list("kind", "text")) == [("quote", "العودة طوعية."), ("text", "وصل الوزراء.")]


def test_an_empty_entry_is_refused_and_keeps_what_was_typed(client, story, editor):
    live.start(story, editor)
    client.force_login(editor)
    response = client.post(reverse("desk:live", args=[story.pk]), {"kind": "quote", "quote_by": "وزير الخارجية"})
    assert response.status_code == 200
    assert "وزير الخارجية" in response.content.decode()
    assert not LiveEntry.objects.exists()
    with pytest.raises(ValidationError):
        live.add_entry(story, editor, kind="picture", text="بلا صورة")


def test_entries_are_refused_once_coverage_has_ended(story, editor):
    live.start(story, editor)
    live.end(story, editor)
    with pytest.raises(ValidationError):
        live.add_entry(story, editor, kind="text", text="متأخر")


def test_each_change_of_an_entry_is_a_revision_and_a_stale_correction_is_refused(story, editor, chief):
    live.start(story, editor)
    entry = live.add_entry(story, editor, kind="text", text="الرقم الأول")
    live.change_entry(entry, chief, loaded_version=1, kind="text", text="الرقم المصحح")
    with pytest.raises(ValidationError):
        live.change_entry(entry, editor, loaded_version=1, kind="text", text="نسخة قديمة")
    live.remove_entry(entry, editor)
    entry.refresh_from_db()
    assert entry.text == "الرقم المصحح" and entry.removed_at is not None
    assert [(r.number, r.note, r.snapshot["text"]) for r in entry.revisions.order_by("number")] == [
        (1, "added", "الرقم الأول"),
        (2, "changed", "الرقم المصحح"),
        (3, "removed", "الرقم المصحح"),
    ]


def test_readers_page_shows_entries_newest_first_with_liveblogposting(client, story, editor):
    live.start(story, editor)
    live.add_entry(story, editor, kind="text", text="الإدخال الأول")
    live.add_entry(story, editor, kind="picture", image=ImageFactory(), text="الوفود تصل")
    removed = live.add_entry(story, editor, kind="text", text="إدخال محذوف")
    live.remove_entry(removed, editor)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.index("الوفود تصل") < html.index("الإدخال الأول")
    assert "إدخال محذوف" not in html
    blog = next(block for block in jsonld_blocks(html) if block["@type"] == "LiveBlogPosting")
    assert [update["articleBody"] for update in blog["liveBlogUpdate"]] == ["الوفود تصل", "الإدخال الأول"]
    assert "coverageEndTime" not in blog
    assert f'data-live-feed="{live.feed_url(story)}"' in html
    assert re.search(r'<script src="[^"]*desk/live\.js" defer></script>', html)


def test_a_story_that_is_not_live_has_no_live_block(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert "live-coverage" not in html and "LiveBlogPosting" not in html


def test_public_pages_run_no_inline_script(client, story, editor):
    live.start(story, editor)
    response = client.get(story.get_absolute_url())
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script(?![^>]*(?:src=|application/ld\+json))[^>]*>", response.content.decode())
    assert scripts == []


def test_an_ended_page_stops_polling_but_keeps_its_entries(client, story, editor):
    live.start(story, editor)
    live.add_entry(story, editor, kind="text", text="آخر ما جرى")
    live.end(story, editor)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "آخر ما جرى" in html and "data-live-feed" not in html
    blog = next(block for block in jsonld_blocks(html) if block["@type"] == "LiveBlogPosting")
    assert "coverageEndTime" in blog


def test_the_entries_feed_answers_304_to_its_etag_until_an_entry_changes(
    client, story, editor, django_capture_on_commit_callbacks
):
    live.start(story, editor)
    live.add_entry(story, editor, kind="text", text="أول")
    url = live.feed_url(story)
    first = client.get(url)
    data = first.json()
    assert data["live"] is True and data["count"] == 1 and "أول" in data["html"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        live.add_entry(story, editor, kind="text", text="ثانٍ")
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["count"] == 2
    assert second["ETag"] != first["ETag"]
    assert "Cookie" not in second.get("Vary", "") and not second.cookies


def test_the_entries_feed_of_a_draft_is_not_found(client, editor):
    draft = ArticleFactory()
    live.start(draft, editor)
    live.add_entry(draft, editor, kind="text", text="سر")
    assert client.get(live.feed_url(draft)).status_code == 404


def test_a_cached_poll_touches_no_table_but_the_cache(client, story, editor, django_assert_num_queries):
    live.start(story, editor)
    live.add_entry(story, editor, kind="text", text="أول")
    url = live.feed_url(story)
    etag = client.get(url)["ETag"]
    # The database cache: one read of the generation, the story's token and the page; nothing else.
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_entries_changed_is_sent_after_commit_for_subscribers(story, editor, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, article, **kwargs):
        seen.append(article.pk)

    live.entries_changed.connect(receiver)
    try:
        live.start(story, editor)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            live.add_entry(story, editor, kind="text", text="جديد")
        assert seen == []
        for callback in callbacks:
            callback()
        assert seen == [story.pk]
    finally:
        live.entries_changed.disconnect(receiver)


def test_each_entry_reaches_subscribers_as_an_update_of_the_same_story(story, editor):
    from newswire.models import ItemVersion

    live.start(story, editor)
    before = story.wire_version if hasattr(story, "wire_version") else None
    live.add_entry(story, editor, kind="text", text="الوزراء يتفقون على لجنة متابعة.")
    story.refresh_from_db()
    versions = ItemVersion.objects.filter(article=story, event="update")
    assert versions.count() == 1
    assert "الوزراء يتفقون على لجنة متابعة." in story.update_note
    assert before is None or story.wire_version == before + 1


def test_entries_of_a_story_not_yet_published_issue_no_update(editor):
    from newswire.models import ItemVersion

    draft = ArticleFactory()
    live.start(draft, editor)
    live.add_entry(draft, editor, kind="text", text="قبل النشر")
    assert not ItemVersion.objects.filter(article=draft).exists()
