"""The subscriber API: what a key receives, in ninjs 2.2, polled with a cursor; its errors and limits.

Every item any test here receives is checked against the official ninjs 2.2 JSON Schema.
"""

import json
from datetime import UTC, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import workflow
from articles.models import Status
from newswire import keys

from .factories import (
    ArticleFactory,
    AttributionFactory,
    ImageFactory,
    ProductFactory,
    SectionFactory,
    SourceFactory,
    SubscriberFactory,
)
from .ninjs_schema import assert_ninjs

pytestmark = pytest.mark.django_db


@pytest.fixture
def syria():
    return SectionFactory(slug="syria", name_ar="سوريا", name_en="Syria")


@pytest.fixture
def key(syria):
    """A key of «صحيفة تجريبية», whose product is the Syria section in Arabic."""
    cache.clear()
    outlet = SubscriberFactory(name="صحيفة تجريبية", products=[ProductFactory(name="سوريا", sections=[syria])])
    return keys.make_key(outlet, "test")[1]


def get(client, key, path, **headers):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}", **headers)


def items(client, key, since=None, **params):
    query = {"since": since, **params} if since else params
    response = client.get("/api/v1/items", query, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200, response.content
    page = response.json()
    for item in page["items"]:
        assert_ninjs(item)
    return page


def publish(editor, **fields):
    """A story published through the workflow, as an editor would."""
    fields.setdefault("status", Status.APPROVED)
    article = ArticleFactory(**fields)
    workflow.transition(article, "publish", editor)
    return article


def uris(page) -> list[str]:
    return [item["uri"] for item in page["items"]]


def test_a_published_story_is_listed_as_ninjs_with_everything_a_subscriber_needs(client, key, syria, editor):
    source = SourceFactory(name_ar="الكرملين", slug="kremlin")
    article = publish(
        editor,
        section=syria,
        headline_ar="روسيا تبدأ سحب قواتها",
        deck_ar="أربعة مسؤولين سوريين يؤكدون",
        summary_ar="ملخص الخبر",
        body_ar="<p>نص <strong>الخبر</strong></p><script>alert(1)</script>",
        dateline_ar="دمشق",
        urgency=3,
        lead_image=ImageFactory(),
        tags=["روسيا"],
    )
    AttributionFactory(article=article, source=source, description_ar="الكرملين")
    page = items(client, key)
    [item] = page["items"]
    assert item["uri"] == f"urn:telescope-news:story:{article.pk}:ar"
    assert item["version"] == "1" and item["pubstatus"] == "usable" and item["urgency"] == 3
    assert item["language"] == "ar" and item["located"] == "دمشق"
    assert item["headlines"] == [{"role": "main", "value": "روسيا تبدأ سحب قواتها"}]
    assert {d["role"]: d["value"] for d in item["descriptions"]} == {
        "deck": "أربعة مسؤولين سوريين يؤكدون",
        "summary": "ملخص الخبر",
    }
    assert item["bodies"][0]["contenttype"] == "text/html"
    assert "<strong>الخبر</strong>" in item["bodies"][0]["value"] and "<script" not in item["bodies"][0]["value"]
    assert {"name": "سوريا", "rel": "section"}.items() <= item["subjects"][0].items()
    assert any(subject["name"] == "روسيا" and subject["rel"] == "tag" for subject in item["subjects"])
    [picture] = item["associations"]
    assert picture["type"] == "picture" and picture["renditions"][0]["href"].startswith("http")
    assert "embargoed" not in item and item["copyrightnotice"]


def test_anonymous_sources_appear_by_their_description_only(client, key, syria, editor):
    secret = SourceFactory(name_ar="العقيد فلان السرّي", slug="secret", identity="هاتفه ٠٩٩٩")
    article = ArticleFactory(section=syria, status=Status.APPROVED)
    AttributionFactory(article=article, source=secret, description_ar="ضابط رفيع", is_anonymous=True)
    workflow.transition(article, "publish", editor)
    raw = get(client, key, f"/api/v1/items/{article.pk}").content.decode()
    assert "ضابط رفيع" in raw
    assert "العقيد فلان" not in raw and "secret" not in raw and "٠٩٩٩" not in raw


def test_products_select_exactly_the_right_stories(client, editor):
    cache.clear()
    politics = SectionFactory(slug="politics")
    local = SectionFactory(slug="local-politics", parent=politics)
    sport = SectionFactory(slug="sport")
    wanted = {
        "in the section": publish(editor, section=politics),
        "in a subsection": publish(editor, section=local),
        "with the tag": publish(editor, section=sport, tags=["انتخابات"]),
        "English, from the second product": publish(
            editor, section=sport, urgency=1, headline_en="Flash", body_en="<p>Flash.</p>"
        ),
    }
    unwanted = {
        "another section": publish(editor, section=sport),
        "not urgent enough for the second product": publish(
            editor, section=sport, urgency=5, headline_en="Routine", body_en="<p>Routine.</p>"
        ),
        "a draft in the section": ArticleFactory(section=politics),
    }
    outlet = SubscriberFactory(
        products=[
            ProductFactory(sections=[politics], tags=["انتخابات"]),
            ProductFactory(languages="en", min_urgency=3),
        ]
    )
    key = keys.make_key(outlet, "test")[1]
    got = set(uris(items(client, key)))
    expected = {f"urn:telescope-news:story:{a.pk}:ar" for name, a in wanted.items() if "English" not in name}
    expected.add(f"urn:telescope-news:story:{wanted['English, from the second product'].pk}:en")
    assert got == expected, f"missing {expected - got}, extra {got - expected}"
    for name, article in unwanted.items():
        assert get(client, key, f"/api/v1/items/{article.pk}").status_code == 404, name
    nothing = keys.make_key(SubscriberFactory(), "no products")[1]
    assert items(client, nothing)["items"] == []


def test_an_embargoed_story_is_delivered_early_marked_embargoed_and_a_scheduled_one_is_not(client, key, syria, editor):
    until = timezone.now() + timedelta(hours=3)
    embargoed = publish(editor, section=syria, embargo_until=until)
    scheduled = publish(editor, section=syria, publish_at=timezone.now() + timedelta(hours=1))
    page = items(client, key)
    assert uris(page) == [f"urn:telescope-news:story:{embargoed.pk}:ar"]
    assert page["items"][0]["embargoed"].startswith(until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))
    assert get(client, key, f"/api/v1/items/{scheduled.pk}").status_code == 404
    assert client.get(embargoed.get_absolute_url()).status_code == 404, "readers must not see it before its time"


def test_an_update_is_a_new_version_of_the_same_story_and_earlier_versions_stay(client, key, syria, editor):
    article = publish(editor, section=syria, headline_ar="اشتباكات في حلب")
    first = items(client, key)
    article.headline_ar = "اشتباكات عنيفة في حلب وسقوط قتلى"
    article.save()  # an internal save: subscribers see no new version
    assert items(client, key, since=first["next"])["items"] == []
    workflow.transition(article, "update", editor, "ارتفاع عدد القتلى إلى عشرة")

    [update] = items(client, key, since=first["next"])["items"]
    assert update["uri"] == first["items"][0]["uri"] and update["version"] == "2"
    assert update["ednote"] == "ارتفاع عدد القتلى إلى عشرة"
    assert update["headlines"][0]["value"] == "اشتباكات عنيفة في حلب وسقوط قتلى"
    latest = get(client, key, f"/api/v1/items/{article.pk}").json()
    assert assert_ninjs(latest)["version"] == "2"
    versions = get(client, key, f"/api/v1/items/{article.pk}/versions").json()["items"]
    assert [(v["version"], v["headlines"][0]["value"]) for v in map(assert_ninjs, versions)] == [
        ("1", "اشتباكات في حلب"),
        ("2", "اشتباكات عنيفة في حلب وسقوط قتلى"),
    ]
    article.refresh_from_db()
    assert article.wire_version == 2 and article.version > 2, "internal saves and versions are counted apart"


def test_a_kill_reaches_the_api_as_a_canceled_notice_without_the_text(client, key, syria, editor):
    article = publish(editor, section=syria, headline_ar="خبر سيُسحب", body_ar="<p>نص حساس</p>")
    first = items(client, key)
    workflow.transition(article, "kill", editor, "أمر قضائي")
    [notice] = items(client, key, since=first["next"])["items"]
    assert notice["uri"] == first["items"][0]["uri"]
    assert notice["pubstatus"] == "canceled" and notice["version"] == "2"
    assert "أمر قضائي" in notice["ednote"]
    assert "نص حساس" not in json.dumps(notice, ensure_ascii=False)
    assert assert_ninjs(get(client, key, f"/api/v1/items/{article.pk}").json())["pubstatus"] == "canceled"
    versions = get(client, key, f"/api/v1/items/{article.pk}/versions").json()["items"]
    assert [v["pubstatus"] for v in versions] == ["canceled"], "the killed text is no longer served"
    assert client.get(article.get_absolute_url()).status_code == 410


def test_following_the_cursor_gives_every_item_once_in_order(client, key, syria, editor):
    stories = [publish(editor, section=syria) for _ in range(7)]
    seen, since = [], None
    while True:
        page = items(client, key, since=since, limit=3)
        seen += uris(page)
        since = page["next"]
        if not page["more"]:
            break
    assert seen == [f"urn:telescope-news:story:{a.pk}:ar" for a in stories]
    assert items(client, key, since=since)["items"] == [], "nothing new, nothing repeated"
    later = publish(editor, section=syria)
    assert uris(items(client, key, since=since)) == [f"urn:telescope-news:story:{later.pk}:ar"]


def test_a_repeated_request_answers_304_until_something_changes(client, key, syria, editor):
    publish(editor, section=syria)
    first = get(client, key, "/api/v1/items")
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert get(client, key, "/api/v1/items", HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(editor, section=syria)
    assert get(client, key, "/api/v1/items", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_key_over_its_rate_limit_gets_429_with_retry_after(client, key, settings):
    settings.NEWSWIRE_RATE_LIMIT = 3
    for _ in range(3):
        assert get(client, key, "/api/v1/items").status_code == 200
    refused = get(client, key, "/api/v1/items")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
    other = keys.make_key(SubscriberFactory(), "another outlet")[1]
    assert get(client, other, "/api/v1/items").status_code == 200, "each key has its own limit"


def test_a_key_is_never_taken_from_the_address(client, key):
    response = client.get("/api/v1/items", {"api_key": key})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("key-in-address")


def test_errors_are_problem_details_in_arabic_or_english(client, key):
    arabic = client.get("/api/v1/items", HTTP_AUTHORIZATION="Bearer tnw_not-a-key")
    english = client.get("/api/v1/items", HTTP_AUTHORIZATION="Bearer tnw_not-a-key", HTTP_ACCEPT_LANGUAGE="en")
    for response in (arabic, english):
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert set(response.json()) >= {"type", "title", "status", "detail"}
    assert english.json()["title"] == "Missing or invalid API key"
    assert arabic.json()["title"] != english.json()["title"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.json()["title"]), arabic.json()["title"]
    missing = get(client, key, "/api/v1/items/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    bad = get(client, key, "/api/v1/items?since=garbage", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "since" in bad.json()["detail"]


def test_the_openapi_document_is_3_1_and_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/items", "/api/v1/items/{item_id}", "/api/v1/items/{item_id}/versions"} <= set(document["paths"])
    schemes = document["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())
    answers = document["paths"]["/api/v1/items"]["get"]["responses"]
    assert "application/problem+json" in answers["429"]["content"]
