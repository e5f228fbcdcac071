"""Every kind of page a reader can reach, on the demo's content: what the judges (vnu, axe) check.

Call `page_types()` after `load_demo`: it adds what the demo lacks (a correction, an update with
its note, a killed story, a preview link of a draft) through the domain functions, and returns
{name: (path, expected status)}. Feeds and sitemaps are XML and are left out.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from articles import preview, workflow
from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Article, Correction, Status, Tag
from desk.demo import LIVE_STORY_SLUG

from .factories import published


def page_types() -> dict[str, tuple[str, int]]:
    editor = get_user_model().objects.get(username="editor")
    chief = get_user_model().objects.get(username="chief")
    pictured = Article.objects.get(slug=STORY_SLUG)
    live = Article.objects.get(slug=LIVE_STORY_SLUG)
    others = Article.objects.public("ar").exclude(pk__in=[pictured.pk, live.pk]).order_by("publish_at")
    corrected, updated = others[0], others[1]
    Correction.objects.create(article=corrected, text_ar="صُحّح اسم الوزير في الفقرة الثانية.", created_by=editor)
    workflow.transition(updated, "update", editor, "أضيفت أرقام المصرف الجديدة.")
    killed = published(headline_ar="خبر سُحب بقرار قانوني", slug="killed-story")
    workflow.transition(killed, "kill", chief, "أمر قضائي")
    draft = Article.objects.exclude(status=Status.PUBLISHED).filter(status__in=workflow.PREVIEWABLE).first()
    tag = Tag.objects.get(name_ar="سوريا")
    with translation.override("ar"):
        paths = {
            "home": ("/", 200),
            "section": (pictured.section.get_absolute_url(), 200),
            "tag": (tag.get_absolute_url(), 200),
            "source": (pictured.credit.get_absolute_url(), 200),
            "author": (pictured.authors.first().get_absolute_url(), 200),
            "story-picture-attributions": (pictured.get_absolute_url(), 200),
            "story-live": (live.get_absolute_url(), 200),
            "story-corrections": (corrected.get_absolute_url(), 200),
            "story-updated": (updated.get_absolute_url(), 200),
            "search-results": ("/search/?q=" + quote("روسيا"), 200),
            "search-no-results": ("/search/?q=" + quote("زرافة"), 200),
            "search-did-you-mean": ("/search/?q=" + quote("الانسحب"), 200),
            "search-empty": ("/search/", 200),
            "not-found": ("/no-such-page/", 404),
            "killed": (killed.get_absolute_url(), 410),
            "preview": (preview.url(preview.create_link(draft, editor)).removeprefix(settings.SITE_URL), 200),
        }
    with translation.override("en"):
        paths |= {
            "home-en": ("/en/", 200),
            "section-en": (pictured.section.get_absolute_url(), 200),
            "story-en": (pictured.get_absolute_url(), 200),
            "search-en": ("/en/search/?q=Russia", 200),
        }
    return paths
