"""Preview links: recorded, signed, expiring, revocable; made only by people who may edit the story;
dead once the story leaves the states that may be previewed."""

from datetime import timedelta

import pytest
from django.core.signing import Signer
from django.urls import reverse
from django.utils import timezone

from articles import preview, workflow
from articles.models import PreviewLink, Status

from .factories import ArticleFactory, BylineFactory, published

pytestmark = pytest.mark.django_db


def path_of(link):
    return reverse("preview", kwargs={"token": preview.make_token(link)})


def make_link_url(article):
    return reverse("admin:articles_article_previews", args=[article.pk])


def test_preview_shows_a_draft_without_logging_in_under_a_banner_that_says_so(client, editor):
    draft = ArticleFactory(headline_ar="خبر لم يُنشر بعد", body_ar="<p>مسودة للمحامي</p>")
    response = client.get(path_of(preview.create_link(draft, editor)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر لم يُنشر بعد" in html and "مسودة للمحامي" in html
    assert "معاينة: هذا الخبر غير منشور." in html, "the preview banner is missing or not in Arabic"
    assert '<meta name="robots" content="noindex' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies


def test_the_english_preview_has_its_banner_in_english(client, editor):
    draft = ArticleFactory(headline_en="A story not yet public", body_en="<p>Draft for the lawyer</p>")
    response = client.get("/en" + path_of(preview.create_link(draft, editor)))
    assert response.status_code == 200
    assert "Preview: this story is not public." in response.content.decode()


def test_the_draft_itself_stays_off_the_public_site(client):
    draft = ArticleFactory()
    assert client.get(f"/{draft.section.slug}/{draft.pk}/{draft.slug}/").status_code == 404


def test_each_link_is_recorded_with_who_made_it_when_and_for_which_story(client, editor):
    draft = ArticleFactory()
    client.force_login(editor)
    assert client.post(make_link_url(draft)).status_code == 302
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by, link.revoked_at) == (draft, editor, None)
    assert link.expires_at - link.created_at == timedelta(hours=preview.MAX_AGE_HOURS)
    assert Signer(salt=preview.SALT).unsign_object(path_of(link).split("/")[-2]) == {"link": link.pk}


def test_tampered_link_is_refused(client, editor):
    draft = ArticleFactory()
    secret = ArticleFactory(headline_ar="خبر آخر سري")
    token = preview.make_token(preview.create_link(draft, editor))
    other = PreviewLink.objects.create(article=secret, expires_at=timezone.now() + timedelta(hours=1))
    forged = Signer(salt="another purpose").sign_object({"link": other.pk})
    for bad in [token[:-2] + "xx", forged, "not-a-token", token + "a"]:
        response = client.get(reverse("preview", kwargs={"token": bad}))
        assert response.status_code == 403, bad
        assert "خبر آخر سري" not in response.content.decode()


def test_link_expires_after_48_hours(client, editor, monkeypatch):
    draft = ArticleFactory(headline_ar="خبر للمراجعة القانونية")
    made = timezone.now()
    url = path_of(preview.create_link(draft, editor))
    monkeypatch.setattr(timezone, "now", lambda: made + timedelta(hours=47))
    assert client.get(url).status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: made + timedelta(hours=48, seconds=1))
    response = client.get(url)
    assert response.status_code == 403
    assert "خبر للمراجعة القانونية" not in response.content.decode()


@pytest.mark.parametrize(
    ("whose", "status", "allowed"),
    [
        ("own", Status.DRAFT, True),
        ("own", Status.SUBMITTED, False),
        ("other", Status.DRAFT, False),
        ("other", Status.UNPUBLISHED, False),
    ],
)
def test_journalists_make_previews_only_of_stories_they_may_edit(
    client, journalist, other_journalist, whose, status, allowed
):
    author = journalist if whose == "own" else other_journalist
    article = ArticleFactory(created_by=author, status=status)
    BylineFactory(article=article, author=author)
    client.force_login(journalist)
    response = client.post(make_link_url(article))
    assert response.status_code == (302 if allowed else 403)
    assert PreviewLink.objects.filter(article=article).exists() == allowed


def test_editors_make_previews_of_any_story_that_may_be_previewed(client, editor, journalist):
    draft = ArticleFactory(created_by=journalist)
    client.force_login(editor)
    assert client.post(make_link_url(draft)).status_code == 302
    assert PreviewLink.objects.filter(article=draft, created_by=editor).exists()


def test_an_unpublished_story_cannot_be_previewed(client, editor):
    article = ArticleFactory(status=Status.UNPUBLISHED)
    client.force_login(editor)
    response = client.post(make_link_url(article), follow=True)
    assert not PreviewLink.objects.exists()
    assert "لا يمكن معاينة" in response.content.decode()


def test_a_revoked_link_stops_working_at_once(client, editor):
    draft = ArticleFactory(headline_ar="خبر سيُسحب رابطه")
    link = preview.create_link(draft, editor)
    url = path_of(link)
    assert client.get(url).status_code == 200
    client.force_login(editor)
    revoke = reverse("admin:articles_article_preview_revoke", args=[draft.pk, link.pk])
    assert client.post(revoke).status_code == 302
    client.logout()
    assert client.get(url).status_code == 403
    link.refresh_from_db()
    assert link.revoked_by == editor and link.revoked_at is not None


def test_someone_who_may_not_edit_the_story_cannot_revoke_its_links(client, editor, journalist):
    draft = ArticleFactory(created_by=editor)
    link = preview.create_link(draft, editor)
    client.force_login(journalist)
    assert client.post(reverse("admin:articles_article_preview_revoke", args=[draft.pk, link.pk])).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_unpublishing_kills_every_link_for_good(client, editor):
    article = published(headline_ar="خبر سيُلغى نشره")
    url = path_of(preview.create_link(article, editor))
    assert client.get(url).status_code == 200
    workflow.transition(article, "unpublish", editor, "خطأ في الأرقام")
    assert client.get(url).status_code == 403
    workflow.transition(article, "reopen", editor)
    assert client.get(url).status_code == 403, "reopening the story brought an old preview link back"


@pytest.mark.parametrize(
    "move", [name for name, rule in workflow.MOVES.items() if rule.target not in workflow.PREVIEWABLE]
)
def test_every_move_out_of_the_previewable_states_revokes_the_links(editor, move):
    source = next(state for state in sorted(workflow.MOVES[move].sources) if state in workflow.PREVIEWABLE)
    article = published() if source == Status.PUBLISHED else ArticleFactory(status=source)
    link = preview.create_link(article, editor)
    workflow.transition(article, move, editor, "سبب الإجراء")
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == editor
    assert preview.find(preview.make_token(link)) is None


def test_the_change_page_lists_the_links_to_people_who_may_edit_the_story(client, editor, journalist):
    draft = ArticleFactory(created_by=editor)
    link = preview.create_link(draft, editor)
    change = reverse("admin:articles_article_change", args=[draft.pk])
    client.force_login(editor)
    html = client.get(change).content.decode()
    assert preview.url(link) in html and make_link_url(draft) in html
    client.force_login(journalist)
    html = client.get(change).content.decode()
    assert "/preview/" not in html and make_link_url(draft) not in html
