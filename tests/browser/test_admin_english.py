"""No English on the newsroom's admin pages, for a journalist and an editor, in a real browser.

The walk (test_admin_walk.py) covers the way from login to a published story; this visits the
other pages a journalist or an editor works with. The staff pages (people, groups, sign-in) are
checked where they are built.
"""

import pytest

from articles.models import Article, Image, Section, Source, Status
from tests.second_factor import browser_sign_in

from .english import english_on_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages() -> list[str]:
    story = Article.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    return [
        "/admin/",
        "/admin/articles/",
        "/admin/articles/article/",
        "/admin/articles/article/?q=سارة الحلبي",
        "/admin/articles/article/?queue=recent",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{story.pk}/change/",
        f"/admin/articles/article/{story.pk}/revisions/",
        f"/admin/articles/article/{story.pk}/history/",
        "/admin/articles/image/",
        "/admin/articles/image/add/",
        f"/admin/articles/image/{Image.objects.first().pk}/change/",
        "/admin/articles/source/",
        "/admin/articles/source/add/",
        f"/admin/articles/source/{Source.objects.first().pk}/change/",
        "/admin/articles/section/",
        f"/admin/articles/section/{Section.objects.first().pk}/change/",
        "/admin/articles/tag/",
        "/admin/preferences/",
    ]


@pytest.mark.parametrize("username", ["journalist", "editor"])
def test_newsroom_pages_have_no_english(demo, live_server, browser, username):
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, username, f"telescope-{username}")
        page.wait_for_url("**/admin/")
        found = {}
        for path in pages():
            response = page.goto(live_server.url + path, wait_until="load")
            assert response.status == 200, f"{path}: {response.status}"
            if problems := english_on_page(page):
                found[path] = problems
        assert found == {}, f"English on {username}'s pages: {found}"
    finally:
        context.close()


def chief_pages() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from newswire.models import Product, Subscriber

    journalist = get_user_model().objects.get(username="journalist")
    return [
        "/admin/newswire/subscriber/",
        "/admin/newswire/subscriber/add/",
        f"/admin/newswire/subscriber/{Subscriber.objects.first().pk}/change/",
        "/admin/newswire/product/",
        f"/admin/newswire/product/{Product.objects.first().pk}/change/",
        "/admin/newswire/apikey/",
        "/admin/newswire/apikey/add/",
        "/admin/newswire/delivery/",
        "/admin/audit/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{journalist.pk}/change/",
        "/admin/auth/group/",
        f"/admin/auth/group/{Group.objects.get(name='Journalists').pk}/change/",
        "/admin/accounts/signinlock/",
        "/admin/account/security/",
    ]


def test_the_chief_editors_pages_have_no_english(demo, live_server, browser):
    # The newswire, the audit trail, staff, roles and sign-in: the pages only chief editors see.
    from django.core.management import call_command

    call_command("load_wire_demo", verbosity=0)
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, "chief", "telescope-chief")
        page.wait_for_url("**/admin/")
        found = {}
        for path in chief_pages():
            response = page.goto(live_server.url + path, wait_until="load")
            assert response.status == 200, f"{path}: {response.status}"
            # The demo's sign-in names are data shown beside each person's name, not interface text.
            if problems := english_on_page(page, also_allowed={"chief", "editor", "journalist"}):
                found[path] = problems
        assert found == {}, f"English on the chief editor's pages: {found}"
    finally:
        context.close()
