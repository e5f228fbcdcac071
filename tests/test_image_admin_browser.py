"""The focal point picker in a real browser: choose a photo, click its subject, save, get crops there."""

import threading
from pathlib import Path

import pytest
from django.db import connections

from articles import images
from articles.models import Image, Rendition

from .browser.chromium import CHROMIUM, CHROMIUM_ARGS
from .factories import UserFactory, picture_bytes
from .rendition_jobs import run_rendition_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, client, monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are not async.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    editor = UserFactory(username="picture-editor", role="Editors")
    client.force_login(editor)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        yield context.new_page()
        # ORM calls made while Playwright's loop runs get a connection of their own (Django keys
        # connections by context); close it here, or the test database cannot be dropped at the end.
        connections.close_all()
        browser.close()
    # Closing the browser ends its keep-alive requests; let their threads hand back their
    # database connections before the database is flushed and, at the end, dropped.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


def test_clicking_the_picture_sets_the_focal_point_before_the_first_save(page, live_server, tmp_path):
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(picture_bytes(1600, 900))
    page.goto(f"{live_server.url}/admin/articles/image/add/")
    assert page.locator(".focal-stage").is_hidden()

    page.set_input_files("#id_file", str(photo))
    picture = page.locator(".focal-image")
    picture.wait_for(state="visible")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.3})
    assert float(page.input_value("#id_focal_x")) == pytest.approx(0.8, abs=0.01)
    assert float(page.input_value("#id_focal_y")) == pytest.approx(0.3, abs=0.01)
    # The square preview slides to the clicked side (as the server's crop will).
    position = page.locator(".focal-crop[data-ratio='1'] img").evaluate("img => img.style.objectPosition")
    assert position.startswith("100%"), position

    page.fill("#id_alt_ar", "قوارب صيد في ميناء اللاذقية")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    image = Image.objects.get()
    assert (round(image.focal_x, 2), round(image.focal_y, 2)) == (0.8, 0.3)
    assert run_rendition_jobs() == 1, "the save should have queued the renditions"
    squares = Rendition.objects.filter(image=image, crop="1:1")
    assert squares.exists() and {r.focal_key for r in squares} == {images.focal_key(image, "1:1")}
    # The change form shows the stored picture with the marker where it was put.
    marker = page.locator(".focal-marker").evaluate("m => [parseFloat(m.style.left), parseFloat(m.style.top)]")
    # Within a pixel of the click: where the click lands depends on the picture's size on screen.
    assert marker == [pytest.approx(80, abs=0.5), pytest.approx(30, abs=0.5)], marker


def test_a_file_over_the_limit_is_refused_in_the_browser_before_it_is_sent(page, live_server, tmp_path, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 50_000
    photo = tmp_path / "too-big.jpg"
    photo.write_bytes(picture_bytes(3000, 2000, quality=98))
    assert photo.stat().st_size > settings.IMAGE_MAX_UPLOAD_BYTES
    page.goto(f"{live_server.url}/admin/articles/image/add/")
    page.fill("#id_alt_ar", "قوارب صيد في ميناء اللاذقية")
    page.set_input_files("#id_file", str(photo))
    note = page.locator(".upload-limit-error")
    note.wait_for(state="visible")
    assert "اختر ملفًا أصغر" in note.inner_text()
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    page.click("input[name=_save]")
    assert page.url.endswith("/admin/articles/image/add/") and not sent, "the form should not have been sent"
    assert page.input_value("#id_alt_ar") == "قوارب صيد في ميناء اللاذقية"
    assert not Image.objects.exists()
