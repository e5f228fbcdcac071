"""The reader's search page at /search/ and /en/search/."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles import search
from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Article, Status
from tests.factories import ArticleFactory, SectionFactory, indexed, published

pytestmark = pytest.mark.django_db


def story(text: str, headline: str = "خبر من الوكالة", **fields) -> Article:
    return indexed(published(headline_ar=headline, body_ar=f"<p>{text}</p>", **fields))


@pytest.fixture
def sample(db):
    call_command("load_demo", stdout=StringIO())
    return Article.objects.public().get(slug=STORY_SLUG)


def page(client, query_string: str, prefix: str = "") -> str:
    response = client.get(f"{prefix}/search/?{query_string}")
    assert response.status_code == 200, f"{query_string!r} answered {response.status_code}"
    return response.content.decode()


def test_searching_the_sample_story_shows_it_highlighted_with_its_diacritics(client, sample):
    html = page(client, "q=بالانسحاب")
    assert sample.get_absolute_url() in html
    assert "<mark>انسحابًا</mark>" in html or "<mark>الانسحاب</mark>" in html
    assert "١ خبر" in html or "نتيجة" in html or "١" in html


@pytest.mark.parametrize("spelling", ["حميميم", "بحميميم", "القاعده", "القاعدة", "أنتونوف", "انتونوف", "الروسية"])
def test_the_sample_story_is_found_in_several_spellings(client, sample, spelling):
    assert sample.get_absolute_url() in page(client, f"q={spelling}")


def test_the_result_count_and_pagination(client):
    for _ in range(23):
        story("وصلت طائرات إلى حميميم")
    first = page(client, "q=حميميم")
    assert first.count('class="search-result"') == 20
    assert "٢٣" in first
    assert "page=2" in first
    second = page(client, "q=حميميم&page=2")
    assert second.count('class="search-result"') == 3


def test_the_page_makes_as_many_queries_for_twenty_results_as_for_one(client):
    story("حميميم")
    with CaptureQueriesContext(connection) as one:
        page(client, "q=حميميم")
    for _ in range(25):
        story("حميميم")
    with CaptureQueriesContext(connection) as many:
        page(client, "q=حميميم")
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


def test_no_results_page_helps_the_reader(client, sample):
    html = page(client, "q=كلمةغيرموجودةابدا")
    assert 'class="search-empty"' in html
    assert "كلمةغيرموجودةابدا" in html
    assert "section=" not in html.split('class="search-empty"')[1]  # no filters to drop


def test_no_results_with_filters_offers_to_search_everywhere(client, sample):
    SectionFactory(slug="sports-x")
    html = page(client, "q=حميميم&section=sports-x")
    assert 'class="search-empty"' in html
    empty = html.split('class="search-empty"')[1]
    assert 'href="?q=' in empty and "sports-x" not in empty


def test_drafts_and_scheduled_stories_never_appear(client):
    draft = ArticleFactory(headline_ar="حميميم في مسودة", status=Status.DRAFT)
    search.update_document(draft)
    scheduled = story("حميميم", publish_at=timezone.now() + timedelta(hours=1))
    html = page(client, "q=حميميم")
    assert draft.get_absolute_url() not in html and scheduled.get_absolute_url() not in html
    assert 'class="search-empty"' in html


def test_english_edition_searches_english_text(client, sample):
    html = page(client, "q=withdrawal", prefix="/en")
    assert 'lang="en"' in html
    with translation.override("en"):
        assert f'href="{sample.get_absolute_url()}"' in html
    assert "Russia begins pulling forces" in html and "<mark>" in html
    assert "روسيا تبدأ" not in html


def test_filters_by_section_date_and_order(client):
    news = SectionFactory(slug="news-x")
    now = timezone.localtime()
    old = story("حميميم", headline="حميميم", section=news, publish_at=now - timedelta(days=10))
    new = story("ذكر حميميم", publish_at=now - timedelta(hours=1))
    html = page(client, "q=حميميم&section=news-x")
    assert old.get_absolute_url() in html and new.get_absolute_url() not in html
    html = page(client, f"q=حميميم&date_from={now.date().isoformat()}")
    assert new.get_absolute_url() in html and old.get_absolute_url() not in html
    newest = page(client, "q=حميميم&order=newest")
    assert newest.index(new.get_absolute_url()) < newest.index(old.get_absolute_url())
    relevance = page(client, "q=حميميم")
    assert relevance.index(old.get_absolute_url()) < relevance.index(new.get_absolute_url())


def test_dates_typed_with_arabic_indic_digits_are_understood(client):
    now = timezone.localtime()
    old = story("حميميم", publish_at=now - timedelta(days=10))
    arabic_date = now.date().isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    html = page(client, f"q=حميميم&date_from={arabic_date}")
    assert old.get_absolute_url() not in html and "search-notes" not in html


def test_bad_filters_are_reported_and_ignored_without_losing_the_query(client, sample):
    html = page(client, "q=حميميم&section=no-such&date_from=yesterday&order=random")
    assert sample.get_absolute_url() in html
    assert 'class="search-notes"' in html
    assert 'value="حميميم"' in html


def test_the_query_is_echoed_escaped(client, sample):
    html = page(client, "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_a_too_long_query_is_cut_and_says_so(client, sample):
    html = page(client, "q=" + "حميميم " * 2000)
    assert sample.get_absolute_url() in html
    assert 'class="search-notes"' in html


HOSTILE_QUERY_STRINGS = [
    "",
    "q=",
    "q=" + "ا" * 10000,
    "q=" + "x" * 10000,
    "q=!!!%3F%3F...",
    "q=%D8%9F%D8%8C",  # Arabic question mark and comma only
    "q=%27%3B+DROP+TABLE+articles_article%3B+--",
    "q=1%27+OR+%271%27%3D%271",
    "q=%22%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85",  # an unbalanced quote
    "q=%22%22%22",
    "q=%F0%9F%98%80%F0%9F%9A%80",  # emoji
    "q=Hmeimim+%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85+%F0%9F%98%80+123",  # mixed scripts
    "q=%FF%FE%80%C3",  # invalid UTF-8
    "q=%00%01%1B",  # control characters, NUL
    "q=%ED%A0%80",  # an encoded surrogate
    "q=a&q=b&q=%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85",  # a repeated parameter
    "q=&:*|!()<->",
    "q=-",
    "q=OR+OR+OR",
    "q=%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85&page=abc",
    "q=%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85&page=-1",
    "q=%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85&page=999999999999999999999",
    "q=%D8%AD%D9%85%D9%8A%D9%85%D9%8A%D9%85&page=1&page=2",
    "q=x&date_from=2026-13-45&date_to=0000-00-00",
    "q=x&date_from=2026-02-01&date_to=2026-01-01",
    "q=x&date_from=99999-01-01",
    "q=x&section=%00&section=..%2F..",
    "q=x&order=%27",
    "section=politics&date_from=2026-01-01",  # filters without a query
]


@pytest.mark.parametrize("query_string", HOSTILE_QUERY_STRINGS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_query_string_makes_the_page_fail(client, query_string, prefix):
    story("حميميم Hmeimim", headline_en="Hmeimim", body_en="<p>Hmeimim x</p>")
    page(client, query_string, prefix)


def test_swapped_dates_are_put_in_order(client):
    now = timezone.localtime()
    hit = story("حميميم", publish_at=now - timedelta(days=3))
    later = (now - timedelta(days=1)).date().isoformat()
    earlier = (now - timedelta(days=5)).date().isoformat()
    html = page(client, f"q=حميميم&date_from={later}&date_to={earlier}")
    assert hit.get_absolute_url() in html
    assert 'class="search-notes"' in html


def test_admin_story_search_uses_the_engine_over_every_state_best_match_first(client, editor):
    draft = ArticleFactory(headline_ar="مسودة عن الانسحاب", body_ar="<p>نص</p>", status=Status.DRAFT)
    search.update_document(draft)
    body_only = story("تحدث المسؤولون عن الانسحاب من حميميم", headline="خبر آخر")
    headline = story("نص", headline="بدء الانسحاب من الساحل", publish_at=timezone.now() - timedelta(days=90))
    unrelated = story("لا شيء هنا")
    client.force_login(editor)
    response = client.get("/admin/articles/article/", {"q": "بالانسحاب"})
    assert response.status_code == 200
    shown = [article.pk for article in response.context["cl"].result_list]
    assert set(shown) == {draft.pk, body_only.pk, headline.pk}
    assert shown.index(headline.pk) < shown.index(body_only.pk)
    assert unrelated.pk not in shown


def test_admin_search_for_punctuation_falls_back_to_the_plain_match(client, editor):
    story("نص", slug="a-b-c")
    client.force_login(editor)
    response = client.get("/admin/articles/article/", {"q": "!!!"})
    assert response.status_code == 200


def test_a_slip_of_the_finger_finds_the_story_and_asks_did_you_mean(client):
    target = story("أعلنت الوزارة بدء الانسحاب من المواقع الأمامية.")
    html = page(client, "q=الانسحب")
    assert "هل تقصد «" in html and "الانسحاب</a>»؟" in html
    assert "لا يوجد خبر فيه «الانسحب»" in html
    assert target.get_absolute_url() in html or target.slug in html


def test_a_query_that_finds_stories_asks_nothing(client):
    story("أعلنت الوزارة بدء الانسحاب من المواقع الأمامية.")
    assert "هل تقصد" not in page(client, "q=الانسحاب")


# Queries of a search page that finds stories: the page of results with their count, the lexemes
# of the words to highlight, the site's sections (navigation) and the filter form's section list.
SEARCH_PAGE_QUERIES = 4


def test_the_query_count_of_a_search_page_is_pinned_below_and_beyond_the_depth(client, monkeypatch):
    monkeypatch.setattr(search, "DEPTH", 4)
    story("وصلت طائرات إلى حميميم")
    with CaptureQueriesContext(connection) as few:
        page(client, "q=حميميم")
    for days in (3, 40, 200, 900, 1500):  # beyond the depth, and in every window of time
        story("وصلت طائرات إلى حميميم", publish_at=timezone.now() - timedelta(days=days))
    with CaptureQueriesContext(connection) as many:
        page(client, "q=حميميم")
    sql = "\n".join(q["sql"] for q in many.captured_queries)
    assert len(few) == len(many) == SEARCH_PAGE_QUERIES, sql


def test_beyond_the_depth_the_page_says_more_than_and_how_it_ranks(client, monkeypatch):
    monkeypatch.setattr(search, "DEPTH", 5)
    for days in range(7):
        story("وصلت طائرات إلى حميميم", publish_at=timezone.now() - timedelta(days=days + 1))
    html = page(client, "q=حميميم")
    assert "عُثر على أكثر من ٥ خبر" in html
    assert html.count('class="search-result"') == 5
    assert "page=2" not in html


def test_below_the_depth_the_page_gives_the_exact_count(client, monkeypatch):
    monkeypatch.setattr(search, "DEPTH", 5)
    for _ in range(5):
        story("وصلت طائرات إلى حميميم")
    html = page(client, "q=حميميم")
    assert "أكثر من" not in html and "٥" in html
