"""The walk's English check finds English where a person meets it, and nothing else."""

import pytest

from .english import english_on_page

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><title>{title}</title></head><body>
<h1>غرفة الأخبار</h1>
{body}
</body></html>"""


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ar")
    yield context.new_page()
    context.close()


def problems(page, body, title="الأخبار"):
    page.set_content(PAGE.format(title=title, body=body))
    return english_on_page(page)


@pytest.mark.parametrize(
    "body",
    [
        "<p>احفظ ثم Save</p>",
        '<button title="bold">B</button>',
        '<input placeholder="Search">',
        '<a aria-label="Remove all items" href="#">×</a>',
        '<img alt="False" src="data:,">',
        '<input type="submit" value="Save">',
        '<select><option>Heading 2</option></select>',
        # Hidden now, shown by a click: still met.
        '<div hidden><p>Edit Link</p></div>',
        '<label>Loaded version:</label>',
    ],
)
def test_english_a_person_would_meet_is_found(page, body):
    assert problems(page, body), f"not caught: {body}"


def test_the_page_title_is_checked(page):
    assert problems(page, "<p>نص</p>", title="Change story")


@pytest.mark.parametrize(
    "body",
    [
        "<p>زوروا https://example.org/news/1 أو www.example.org</p>",
        "<p>صورة JPEG أو PNG أو WebP أو GIF حتى ٢٥ ميغابايت، 2026</p>",
        '<p lang="en">The English translation of the story</p>',
        '<a href="/en/" lang="en">English</a>',
        '<span class="material-icons">format_bold</span>',
        '<input value="typed by the journalist in English">',
        '<textarea>Body typed in English</textarea>',
        "<script>const label = 'Heading';</script>",
        "<p>المسار /admin/articles/article/ والملف photo.jpg</p>",
    ],
)
def test_addresses_digits_and_english_on_purpose_are_not_reported(page, body):
    assert problems(page, body) == []
