from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.management.commands import load_demo
from articles.models import Article, Attribution, Revision, Section, Source, Transition

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
