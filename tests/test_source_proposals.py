"""Sources an import proposed wait on the draft: confirm, merge or discard, by someone who may edit it."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from articles import wire
from articles.models import Article, Attribution, Revision, Source, SourceProposal

from .factories import SectionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).resolve().parents[1] / "articles" / "demo" / "wire-telescope-russia-withdrawal.txt").read_text(
    encoding="utf-8"
)


@pytest.fixture
def draft(journalist):
    SourceFactory(name_ar="وكالة تليسكوب الإخبارية", kind="agency")
    return wire.create_draft(wire.parse(SAMPLE), by=journalist, section=SectionFactory())


def url(article):
    return f"/admin/articles/article/{article.pk}/sources/"


def waiting(article, name):
    return article.source_proposals.get(name=name)


def post(client, article, proposal, action, **data):
    article.refresh_from_db()
    return client.post(
        url(article), {"proposal": proposal.pk, "version": article.version, "action": action, **data}, follow=True
    )


def test_the_draft_page_says_which_sources_wait_and_links_to_them(client, editor, draft):
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert "أربعة مسؤولين سوريين" in html and url(draft) in html


def test_the_review_page_shows_the_confidence_the_reasons_and_the_sentences(client, editor, draft):
    client.force_login(editor)
    html = client.get(url(draft)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "أكد أربعة مسؤولين سوريين أن روسيا بدأت" in html  # the sentence it was read from
    assert "٪" in html or "%" in html


def test_confirming_adds_the_source_to_the_registry_and_cites_it(client, editor, draft):
    client.force_login(editor)
    before = Source.objects.count()
    response = post(client, draft, waiting(draft, "ضابط سوري كبير"), "confirm", name="ضابط سوري كبير")
    assert response.status_code == 200
    assert Source.objects.count() == before + 1
    attribution = draft.attributions.get(description_ar="ضابط سوري كبير")
    assert attribution.is_anonymous and attribution.source.kind == Source.Kind.PERSON
    assert not draft.source_proposals.filter(name="ضابط سوري كبير").exists()
    draft.refresh_from_db()
    assert Revision.objects.filter(article=draft, note__contains="ضابط سوري كبير").exists()


def test_merging_cites_the_existing_source_and_adds_nothing_to_the_registry(client, editor, draft):
    existing = SourceFactory(name_ar="الحكومة السورية")
    client.force_login(editor)
    before = Source.objects.count()
    post(client, draft, waiting(draft, "الحكومة"), "merge", into=existing.pk)
    assert Source.objects.count() == before
    assert draft.attributions.get(description_ar="الحكومة").source == existing


def test_discarding_drops_the_proposal_only(client, editor, draft):
    client.force_login(editor)
    attributions = draft.attributions.count()
    post(client, draft, waiting(draft, "الحكومة"), "discard")
    assert not draft.source_proposals.filter(name="الحكومة").exists()
    assert draft.attributions.count() == attributions


def test_an_unconfirmed_credit_becomes_the_story_credit_when_confirmed(client, editor, journalist):
    article = wire.create_draft(
        wire.parse("وكالة الأرز للأنباء – أعلن الكرملين أن المحادثات مستمرة."), by=journalist, section=SectionFactory()
    )
    assert article.credit is None
    proposal = article.source_proposals.get(role=SourceProposal.Role.CREDIT)
    client.force_login(editor)
    post(client, article, proposal, "confirm", name=proposal.name)
    article.refresh_from_db()
    assert article.credit.name_ar == "وكالة الأرز للأنباء" and article.credit.kind == Source.Kind.AGENCY


def test_a_stale_page_changes_nothing_and_says_why(client, editor, draft):
    client.force_login(editor)
    proposal = waiting(draft, "الحكومة")
    stale = draft.version
    Article.objects.filter(pk=draft.pk).update(version=stale + 1)
    response = client.post(url(draft), {"proposal": proposal.pk, "version": stale, "action": "discard"}, follow=True)
    assert draft.source_proposals.filter(pk=proposal.pk).exists()
    assert response.status_code == 200


def test_someone_who_may_not_edit_the_story_cannot_decide(client, draft, other_journalist):
    client.force_login(other_journalist)
    proposal = waiting(draft, "الحكومة")
    response = client.post(url(draft), {"proposal": proposal.pk, "version": draft.version, "action": "discard"})
    assert response.status_code == 403
    assert draft.source_proposals.filter(pk=proposal.pk).exists()


def test_without_add_source_one_may_merge_but_not_confirm(client, draft, journalist):
    writer = UserFactory(username="stringer")
    writer.user_permissions.add(*Permission.objects.filter(codename__in=["change_article", "view_article"]))
    client.force_login(writer)
    proposal = waiting(draft, "الحكومة")
    response = client.post(url(draft), {"proposal": proposal.pk, "version": draft.version, "action": "confirm"})
    assert response.status_code == 403
    assert not Source.objects.filter(name_ar="الحكومة").exists()
    existing = SourceFactory(name_ar="رئاسة الحكومة")
    post(client, draft, proposal, "merge", into=existing.pk)
    assert Attribution.objects.filter(article=draft, source=existing).exists()
