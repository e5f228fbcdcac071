"""A journalist's story from login to review, and an editor's from the dashboard to publishing it,
in a real browser in Arabic, at a desktop's and a phone's width, with no English on the way.

The journalist signs in through the login form, starts a story from the dashboard's button,
writes it, adds a co-author, uploads a picture through the lead-image box's "+" and cites two
sources, then saves and submits it. The editor signs in, opens the story from the dashboard's
review queue and publishes it. Every page and dialog met is checked for English, and
photographed (test-artifacts/walk-*.png). The number of actions the journalist took is written
to test-artifacts/walk-actions-<width>.txt, for the issue's measure.
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Status
from tests.second_factor import current_code

from .english import english_on_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PICTURE = str(Path(__file__).resolve().parents[2] / "articles" / "demo" / "sunset-over-the-sea.jpg")
HEADLINE = "افتتاح معبر جديد على الحدود السورية اللبنانية أمام حركة الشاحنات"


class Walk:
    """A person's way through the admin: counts their actions, checks and photographs each page."""

    def __init__(self, page, artifacts, width):
        self.page, self.artifacts, self.width = page, artifacts, width
        self.actions = 0
        self.english: dict[str, list[str]] = {}
        self.shots = 0

    def act(self, action, *args, **kwargs):
        self.actions += 1
        return action(*args, **kwargs)

    def look(self, name, page=None):
        page = page or self.page
        page.wait_for_load_state("load")
        problems = english_on_page(page)
        if problems:
            self.english[name] = problems
        self.shots += 1
        page.screenshot(path=str(self.artifacts / f"walk-{self.width}-{self.shots:02d}-{name}.png"), full_page=True)

    def choose(self, row, term, answer_text):
        """Open the select2 box in `row` (a locator), type, and pick the answer showing `answer_text`."""
        self.act(row.locator(".select2-selection").click)
        # Type into the open box's own search field: keys sent before it has focus would land in
        # whatever field had it before.
        search = self.page.locator(".select2-container--open .select2-search__field")
        search.wait_for()
        self.act(search.type, term)
        answer = self.page.locator(".select2-results__option", has_text=answer_text).first
        answer.wait_for()
        self.look(f"choosing-{term}")
        self.act(answer.click)

    def sign_in(self, base_url, username, password):
        self.page.goto(base_url + "/admin/")
        self.look(f"login-{username}")
        self.act(self.page.fill, "#id_username", username)
        self.act(self.page.fill, "#id_password", password)
        self.act(self.page.click, "input[type=submit]")
        if "/sign-in/code/" in self.page.url:
            # Editors sign in with a second factor: the code their authenticator shows now.
            self.look(f"code-{username}")
            user = get_user_model().objects.get(username=username)
            self.act(self.page.fill, "#id_code", current_code(user, offset=1))
            self.act(self.page.click, "input[type=submit]")
        self.page.wait_for_url("**/admin/")


@pytest.mark.parametrize("width", WIDTHS)
def test_journalist_submits_and_editor_publishes_in_arabic(demo, live_server, browser, artifacts, width):
    viewport_width, viewport_height = WIDTHS[width]
    context = browser.new_context(locale="ar", viewport={"width": viewport_width, "height": viewport_height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    walk = Walk(page, artifacts, width)
    try:
        # The journalist -------------------------------------------------------------------
        walk.sign_in(live_server.url, "journalist", "telescope-journalist")
        walk.look("dashboard-journalist")
        walk.act(page.click, "a.new-story")
        page.wait_for_url("**/article/add/")
        walk.look("new-story")

        walk.act(page.fill, "#id_headline_ar", HEADLINE)
        walk.act(page.fill, "#id_dateline_ar", "جديدة يابوس")
        walk.act(page.click, ".field-body_ar .ProseMirror[contenteditable]")
        walk.act(page.keyboard.type, "أعلنت السلطات السورية اليوم افتتاح معبر جديد.")
        walk.act(page.keyboard.press, "Enter")
        walk.act(page.keyboard.type, "وقال مسؤول إن المعبر سيخفف الازدحام.")
        walk.act(page.select_option, "#id_section", label="سوريا")
        walk.act(page.fill, "#id_new_tags", "لبنان، معابر")

        # A co-author: the journalist is already the first byline.
        walk.act(page.click, "#bylines-group .add-row a")
        walk.choose(page.locator("#bylines-group tr.dynamic-bylines").last, "عمر", "عمر الخطيب")

        # A picture, uploaded in the lead-image box's window.
        with page.expect_popup() as popup_info:
            walk.act(page.click, "#add_id_lead_image")
        popup = popup_info.value
        popup.wait_for_load_state("load")
        walk.look("picture-upload", popup)
        walk.act(popup.set_input_files, "#id_file", PICTURE)
        walk.act(popup.fill, "#id_alt_ar", "شاحنات تنتظر عند المعبر")
        with popup.expect_event("close"):
            walk.act(popup.click, "input[name=_save]")
        page.locator(".field-lead_image .image-picker-preview:not([hidden])").wait_for()

        # Two sources: a new story comes with one empty source row, the second is added.
        sources = (("الكرملين", "الرئاسة الروسية"), ("أقمار", "صور أقمار صناعية حديثة"))
        for index, (source, description) in enumerate(sources):
            if index:
                walk.act(page.click, "#attributions-group .add-row a")
            row = page.locator("#attributions-group tbody tr.form-row:not(.empty-form)").nth(index)
            walk.choose(row, source, source)
            walk.act(row.locator("input[name$='description_ar']").fill, description)
        walk.look("story-filled")

        walk.act(page.click, "button[value=submit]")
        page.wait_for_url("**/change/")
        walk.look("story-submitted")
        journalist_actions = walk.actions

        story = Article.objects.get(headline_ar=HEADLINE)
        assert story.status == Status.SUBMITTED
        assert [str(byline.author) for byline in story.bylines.all()] == ["سارة الحلبي", "عمر الخطيب"]
        assert story.lead_image is not None and story.lead_image.alt_ar == "شاحنات تنتظر عند المعبر"
        assert story.attributions.count() == 2
        assert sorted(story.tags.names()) == ["لبنان", "معابر"]

        # The editor -----------------------------------------------------------------------
        walk.act(page.click, "#logout-form button")
        walk.sign_in(live_server.url, "editor", "telescope-editor")
        walk.look("dashboard-editor")
        walk.act(page.click, f".queue-review a:has-text('{HEADLINE}')")
        page.wait_for_url("**/change/")
        walk.look("story-for-review")
        walk.act(page.click, "button[value=publish]")
        page.wait_for_url("**/change/")
        walk.look("story-published")

        story.refresh_from_db()
        assert story.status == Status.PUBLISHED
        (artifacts / f"walk-actions-{width}.txt").write_text(
            f"journalist, login to submitted: {journalist_actions} actions, 1 window (the picture upload)\n"
            f"editor, login to published: {walk.actions - journalist_actions} actions\n"
        )
        assert walk.english == {}, "English met on the way: " + "; ".join(
            f"{page_name} → {problems}" for page_name, problems in walk.english.items()
        )
        assert errors == [], f"script errors: {errors}"
    finally:
        context.close()
