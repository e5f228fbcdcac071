"""Property-based fuzz (hypothesis, derandomized so every run tries the same inputs): no value of any
public query parameter, and none of any admin list filter or search box, gives a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import ArticleFactory, AttributionFactory, BylineFactory, ImageFactory, SectionFactory, published

pytestmark = [
    pytest.mark.django_db,
    # Django's date filters compare a bare date with a time zone-aware column and say so; harmless.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime:RuntimeWarning"),
]

FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What attackers and broken clients send: control and direction characters, Arabic and its digits,
# numbers past every integer type, dates past every calendar, and plain noise.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="\x00\x01\x1f\x7f\u200b\u200f\u202e\u2066\u2069\ufeffاأة٠١٩-_:.%' \"<>;/\\", max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.datetimes().map(lambda moment: moment.isoformat(sep=" ")),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999999999",
            "9" * 40,
            "1e309",
            "NaN",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "0001-01-01 00:00:00",
            "\x00",
            "1\x00",
            "True",
            "null",
            "%00",
            "../../etc/passwd",
        ]
    ),
)


def fuzz_each(names, call) -> None:
    """For every parameter in turn, hostile values beside up to two other hostile parameters."""
    for name in sorted(names):
        fuzz_one(name, sorted(names), call)


def fuzz_one(name, names, call) -> None:
    @FUZZ
    @given(value=HOSTILE, others=st.dictionaries(st.sampled_from(names), HOSTILE, max_size=2))
    def run(value, others):
        call({**others, name: value})

    run()


@pytest.fixture
def client_no_raise(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def newsroom(editor, journalist):
    section = SectionFactory(slug="politics")
    story = published(section=section, headline_ar="روسيا تسحب قواتها", tags=["روسيا"])
    BylineFactory(article=story, author=journalist)
    AttributionFactory(article=story)
    ArticleFactory(created_by=journalist)
    ImageFactory()
    journalist.slug = "sara"
    journalist.save()
    return {"story": story, "section": section, "source": story.attributions.get().source}


def answer(client, url, params):
    response = client.get(url, params, follow=True)
    assert response.status_code < 500, f"{url} {params!r} answered {response.status_code}"


SEARCH_PARAMETERS = ["q", "section", "date_from", "date_to", "order", "sort", "page"]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_search_query_gives_a_server_error(client_no_raise, newsroom, prefix):
    fuzz_each(SEARCH_PARAMETERS, lambda params: answer(client_no_raise, f"{prefix}/search/", params))


def test_no_page_number_on_a_listing_gives_a_server_error(client_no_raise, newsroom):
    listings = [
        "/",
        "/section/politics/",
        "/tag/روسيا/",
        f"/source/{newsroom['source'].slug}/",
        "/author/sara/",
        "/en/",
        "/feeds/latest/",
    ]

    @FUZZ
    @given(url=st.sampled_from(listings), page=HOSTILE)
    def run(url, page):
        answer(client_no_raise, url, {"page": page})

    run()


def changelist_parameters(client, url_name) -> set[str]:
    """Every query parameter the change list itself offers: its filters, date steps, search, order, page."""
    page = client.get(reverse(url_name))
    changelist = page.context["cl"]
    names = {"q", "o", "p", "e", "_facets"}
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if changelist.date_hierarchy:
        names.update(f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return names


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_changelist",
        "admin:articles_source_changelist",
        "admin:articles_section_changelist",
        "admin:articles_tag_changelist",
        "admin:articles_image_changelist",
    ],
)
def test_no_admin_list_filter_or_search_gives_a_server_error(client_no_raise, editor, newsroom, url_name):
    client_no_raise.force_login(editor)
    names = changelist_parameters(client_no_raise, url_name)
    assert "q" in names, names
    fuzz_each(names, lambda params: answer(client_no_raise, reverse(url_name), params))


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("article", "credit"), ("article", "lead_image"), ("article", "tags"), ("attribution", "source")],
)
def test_no_autocomplete_term_gives_a_server_error(client_no_raise, editor, newsroom, model_name, field_name):
    client_no_raise.force_login(editor)

    @FUZZ
    @given(term=HOSTILE, page=HOSTILE)
    def run(term, page):
        params = {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term}
        answer(client_no_raise, reverse("admin:autocomplete"), {**params, "page": page})

    run()
