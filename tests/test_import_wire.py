"""`manage.py import_wire FILE…`: one draft per good file, each in its own transaction."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from articles import search
from articles.models import Article, Attribution, Revision, Source, SourceProposal, Status

from .factories import SectionFactory, SourceFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "articles" / "demo" / "wire-telescope-russia-withdrawal.txt"
OTHER = "وكالة تليسكوب الإخبارية – أعلن الكرملين أن النقاشات مع السلطات السورية مستمرة.\n"


@pytest.fixture
def files(tmp_path):
    paths = {
        "sample": tmp_path / "sample.txt",
        "windows": tmp_path / "windows-1256.txt",
        "empty": tmp_path / "empty.txt",
        "garbage": tmp_path / "garbage.txt",
        "pdf": tmp_path / "story.pdf",
    }
    paths["sample"].write_bytes(SAMPLE.read_bytes())
    paths["windows"].write_bytes(OTHER.encode("cp1256"))
    paths["empty"].write_bytes(b"  \n ")
    paths["garbage"].write_bytes(bytes(range(256)) * 8)
    paths["pdf"].write_bytes(b"%PDF-1.7 ...")
    return paths


@pytest.fixture
def newsroom(db):
    SectionFactory(slug="syria", name_ar="سوريا", position=0)
    return {"telescope": SourceFactory(name_ar="وكالة تليسكوب الإخبارية", kind="agency")}


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_wire", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_good_files_become_drafts_owned_by_the_user(newsroom, journalist, files):
    out, _err, error = run(files["sample"], files["windows"], "--user", "journalist")
    assert error is None
    assert Article.objects.count() == 2
    for article in Article.objects.all():
        assert article.status == Status.DRAFT and article.created_by == journalist
        assert article.credit == newsroom["telescope"]
        assert list(article.bylines.values_list("author", flat=True)) == [journalist.pk]
        assert Revision.objects.filter(article=article, author=journalist).count() == 1
    assert "2 draft(s) created" in out


def test_failed_files_are_reported_with_their_reason_and_the_exit_is_non_zero(newsroom, journalist, files):
    _out, err, error = run(*files.values(), "--user", "journalist")
    assert isinstance(error, CommandError) and "3 of 5" in str(error)
    assert Article.objects.count() == 2
    for name in ["empty.txt", "garbage.txt", "story.pdf"]:
        assert name in err, name
    assert "sample.txt" not in err


def test_a_missing_file_is_a_failure_not_a_crash(newsroom, journalist, files, tmp_path):
    _out, err, error = run(files["sample"], tmp_path / "missing.txt", "--user", "journalist")
    assert error is not None and "missing.txt" in err
    assert Article.objects.count() == 1


def test_a_file_that_fails_while_saving_leaves_nothing_behind(newsroom, journalist, files, monkeypatch):
    original = search.update_document

    def fail_on_the_sample(article):
        if "ردود فعل موسكو" in article.body_ar:
            raise DatabaseError("search index unavailable")
        original(article)

    monkeypatch.setattr(search, "update_document", fail_on_the_sample)
    sources = Source.objects.count()
    _out, err, error = run(files["windows"], files["sample"], "--user", "journalist")
    assert error is not None and "sample.txt: search index unavailable" in err
    (article,) = Article.objects.all()
    assert article.headline_ar.startswith("أعلن الكرملين")
    # The Kremlin waits on the first draft; the sample's proposals went with its draft.
    assert Source.objects.count() == sources
    assert list(SourceProposal.objects.values_list("name", flat=True)) == ["الكرملين"]
    assert not Attribution.objects.exists() and Revision.objects.count() == 1


def test_a_bulk_import_adds_nothing_to_the_registry(newsroom, journalist, files):
    sources = Source.objects.count()
    out, _err, error = run(files["sample"], "--user", "journalist")
    assert error is None
    assert Source.objects.count() == sources
    article = Article.objects.get()
    assert article.credit == newsroom["telescope"]
    waiting = set(article.source_proposals.values_list("name", flat=True))
    assert {"أربعة مسؤولين سوريين", "الكرملين", "ضابط سوري كبير"} <= waiting
    assert "proposed source(s) to confirm" in out


def test_an_unknown_user_or_section_stops_before_importing(newsroom, files):
    _out, _err, error = run(files["sample"], "--user", "nobody")
    assert error is not None and "nobody" in str(error)
    _out, _err, error = run(files["sample"], "--section", "no-such-section")
    assert error is not None
    assert not Article.objects.exists()


def test_a_user_who_may_not_write_stories_is_refused(newsroom, files):
    from .factories import UserFactory

    UserFactory(username="visitor")
    _out, _err, error = run(files["sample"], "--user", "visitor")
    assert error is not None and "add_article" in str(error)
    assert not Article.objects.exists()


def test_without_a_user_the_drafts_have_no_owner_and_it_says_so(newsroom, files):
    _out, err, error = run(files["sample"])
    assert error is None
    assert Article.objects.get().created_by is None
    assert "--user" in err
