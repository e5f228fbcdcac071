"""Every kind of reader's page is valid HTML to the Nu HTML Checker (vnu), and every <time datetime>,
on the site and in the admin, is a value HTML accepts."""

import json
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Article
from articles.templatetags.reader import datetime_attr
from desk.demo import LIVE_STORY_SLUG

from . import node_tools
from .public_pages import page_types

pytestmark = pytest.mark.django_db

# HTML's "valid global date and time string": at most three digits of a second.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)")


@pytest.fixture
def pages():
    # What load_demo leaves for after its commit (the search lexicon behind "did you mean") runs too.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
        return page_types()


def vnu_errors(files) -> dict[str, list[str]]:
    """{file name: ["line N: message", …]} for every error vnu reports (warnings are left out)."""
    jar, java = node_tools.find(node_tools.VNU), shutil.which("java")
    if jar is None or java is None:
        pytest.skip("the Nu HTML Checker needs Java and vnu.jar (npm ci, as .ci/run does)")
    command = [java, "-jar", str(jar), "--format", "json", "--stdout", "--exit-zero-always", *map(str, files)]
    report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    errors = {}
    for message in report["messages"]:
        if message["type"] == "error":
            name = message["url"].rsplit("/", 1)[-1]
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def test_every_kind_of_public_page_has_no_html_errors(client, pages, tmp_path):
    files = []
    for name, (path, status) in pages.items():
        response = client.get(path)
        assert response.status_code == status, f"{name} ({path}) answered {response.status_code}"
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    errors = vnu_errors(files)
    assert errors == {}, "vnu found errors:\n" + "\n".join(
        f"{name}: {line}" for name, lines in errors.items() for line in lines
    )


def test_the_checker_is_not_blind(tmp_path):
    # The test above passes on silence: make sure silence means valid, not unread.
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="ar"><title>x</title><time datetime="2026-01-01T10:00:00.123456Z">x')
    assert "fraction of a second" in " ".join(vnu_errors([page])["broken.html"])


def test_machine_readable_times_have_whole_seconds():
    from datetime import UTC, datetime

    assert datetime_attr(datetime(2026, 12, 1, 8, 9, 2, 476270, tzinfo=UTC)) == "2026-12-01T08:09:02+00:00"
    assert datetime_attr(None) == ""


def test_every_time_in_the_admin_and_the_live_console_is_valid_html(client, pages):
    story = Article.objects.get(slug=STORY_SLUG)
    live = Article.objects.get(slug=LIVE_STORY_SLUG)
    editor = get_user_model().objects.get(username="editor")
    seen = []
    for url in [
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("desk:live", args=[live.pk]),
    ]:
        client.force_login(editor)
        response = client.get(url)
        assert response.status_code == 200, url
        values = re.findall(r'<time datetime="([^"]*)"', response.content.decode())
        assert values, f"{url} shows no <time>"
        seen += [(url, value) for value in values]
    assert [(url, value) for url, value in seen if not HTML_DATETIME.fullmatch(value)] == []
