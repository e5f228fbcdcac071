"""Renditions are made by the job queue, not in the upload's request; pages stay right meanwhile.

The jobs run in this process, as a worker would run them (`tests/rendition_jobs.py`); a worker
killed in the middle of one is in `test_rendition_worker.py`.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from articles import cache as page_cache
from articles import images, tasks, workflow
from articles.models import Image, Rendition, Status, rendition_folder
from desk import live
from newswire import keys

from .factories import ArticleFactory, ImageFactory, ProductFactory, SectionFactory, SubscriberFactory, published
from .ninjs_schema import assert_ninjs
from .rendition_jobs import queued_rendition_jobs, run_rendition_jobs
from .test_image_admin import form_data, photo

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_image_add")
LIST = reverse("admin:articles_image_changelist")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def files_under(folder: Path) -> set[Path]:
    return {path for path in Path(folder).rglob("*") if path.is_file()}


def pending_picture(width=1600, height=1000, **fields) -> Image:
    """A picture stored as an upload stores it: its original, and its rendition job queued."""
    upload = SimpleUploadedFile("photo.jpg", _jpeg(width, height), content_type="image/jpeg")
    image = Image(file=images.clean_upload(upload), alt_ar="قافلة مساعدات عند معبر حدودي", **fields)
    images.save_image(image)
    return image


def _jpeg(width: int, height: int) -> bytes:
    from .factories import picture_bytes

    return picture_bytes(width, height)


def stored_files(image: Image) -> set[str]:
    return set(Rendition.objects.filter(image=image).values_list("file", flat=True))


# The upload's request


def test_an_upload_queues_one_job_and_makes_no_rendition_in_the_request(client, journalist, media_root):
    client.force_login(journalist)
    response = client.post(ADD, form_data(photo()))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert queued_rendition_jobs() == [{"image_id": image.pk}], "one job for the new picture"
    assert not Rendition.objects.exists(), "the request should make no rendition"
    assert files_under(media_root) == {media_root / image.file.name}, "the request should store the original alone"


def test_an_upload_that_rolls_back_queues_nothing(media_root):
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        image = pending_picture()
        assert queued_rendition_jobs() == [{"image_id": image.pk}], "the job is written in the upload's transaction"
        raise Abandoned
    assert not Image.objects.exists()
    assert queued_rendition_jobs() == [], "a job for a picture that was never stored would be sent to the workers"


def test_saving_a_picture_without_changing_its_file_or_focal_point_queues_nothing(client, editor):
    image = ImageFactory()
    images.make_renditions(image)
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    response = client.post(change, form_data(alt_ar="نص بديل مصحح", focal_x="0.5", focal_y="0.5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert queued_rendition_jobs() == [], "a new caption or alt text changes no rendition"


def test_saving_a_picture_whose_renditions_are_missing_queues_them_again(client, editor):
    image = ImageFactory()  # stored without renditions, as after a job that gave up
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    client.post(change, form_data(alt_ar=image.alt_ar, focal_x="0.5", focal_y="0.5"))
    assert queued_rendition_jobs() == [{"image_id": image.pk}]


# Pages while the job is pending


def test_a_pending_picture_is_shown_from_its_original_with_its_dimensions_on_the_story_page(client, media_root):
    image = pending_picture(1600, 1000)
    story = published(lead_image=image)
    html = client.get(story.get_absolute_url()).content.decode()
    [lead] = re.findall(rf'<img src="{re.escape(image.file.url)}"[^>]*>', html)
    assert 'width="1600" height="1000"' in lead, "without dimensions the page jumps when the picture arrives"
    assert "/media/renditions/" not in html, "no page may name a rendition that does not exist yet"


def test_a_pending_picture_in_the_api_lists_only_its_original(client, editor, media_root):
    syria = SectionFactory(slug="syria")
    outlet = SubscriberFactory(products=[ProductFactory(sections=[syria])])
    key = keys.make_key(outlet, "test")[1]
    image = pending_picture(1600, 1000)
    story = ArticleFactory(section=syria, status=Status.APPROVED, lead_image=image)
    workflow.transition(story, "publish", editor)
    item = client.get(f"/api/v1/items/{story.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert_ninjs(item)
    [picture] = item["associations"]
    [original] = picture["renditions"]
    assert original["name"] == "original" and original["href"].endswith(image.file.url)
    assert (original["width"], original["height"]) == (1600, 1000)

    run_rendition_jobs()
    workflow.transition(story, "update", editor, comment="صور أوضح")
    item = client.get(f"/api/v1/items/{story.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert_ninjs(item)
    renditions = item["associations"][0]["renditions"]
    assert len(renditions) == 1 + len(images.wanted_renditions(image)), "the next version lists every rendition"
    for rendition in renditions[1:]:
        assert Rendition.objects.filter(image=image, file=rendition["href"].split("/media/", 1)[1]).exists()


def test_a_crop_not_made_yet_is_stood_in_for_by_the_whole_pictures_renditions(client, media_root):
    image = ImageFactory(file=images.clean_upload(SimpleUploadedFile("p.jpg", _jpeg(1600, 1000))))
    images.make_renditions(image)
    Image.objects.filter(pk=image.pk).update(focal_x=0.1)  # the new crops' job has not run
    published(section=SectionFactory(slug="aleppo"), lead_image=image)
    card = re.search(r'<a class="card-image".*?</a>', client.get("/section/aleppo/").content.decode(), re.S)
    assert card is not None
    assert "-16x9-" not in card.group(0) and "-full-" in card.group(0)
    assert 'width="1280" height="800"' in card.group(0), "the stand-in has its own dimensions"


# The job


def test_the_job_makes_every_rendition_and_renews_the_cached_pages_that_show_the_picture(
    client, media_root, django_capture_on_commit_callbacks
):
    image = pending_picture(1600, 1000)
    story = published(lead_image=image)
    bystander = published()
    for path in (story.get_absolute_url(), "/", bystander.get_absolute_url()):
        client.get(path)
    assert client.get(story.get_absolute_url()).wsgi_request.page_cache == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        assert run_rendition_jobs() == 1
    assert Rendition.objects.filter(image=image).count() == len(images.wanted_renditions(image))
    for path in (story.get_absolute_url(), "/"):
        response = client.get(path)
        assert response.wsgi_request.page_cache == "miss", f"{path} kept the page built while renditions were pending"
        assert '<source type="image/webp" srcset="/media/renditions/' in response.content.decode(), path
    assert client.get(bystander.get_absolute_url()).wsgi_request.page_cache == "hit", "as a publish: other stories keep"


def test_renditions_of_a_picture_no_public_story_shows_renew_no_page(client, django_capture_on_commit_callbacks):
    image = pending_picture()
    ArticleFactory(status=Status.DRAFT, lead_image=image)
    story = published()
    client.get(story.get_absolute_url())
    client.get("/")
    generation = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        run_rendition_jobs()
    assert page_cache.generation() == generation
    assert client.get("/").wsgi_request.page_cache == "hit"
    assert client.get(story.get_absolute_url()).wsgi_request.page_cache == "hit"


def test_a_live_page_showing_the_picture_in_an_entry_is_renewed(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    story = published(headline_ar="مباشر: وصول القوافل")
    live.start(story, editor)
    image = pending_picture()
    live.add_entry(story, editor, kind="picture", image=image, text="القافلة الأولى تعبر")
    assert image.file.url in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        run_rendition_jobs()
    response = client.get(story.get_absolute_url())
    assert response.wsgi_request.page_cache == "miss"
    assert f"/media/{rendition_folder(image.pk)}" in response.content.decode()


def test_running_the_job_twice_is_harmless(media_root, django_capture_on_commit_callbacks):
    image = pending_picture()
    [job] = queued_rendition_jobs()
    tasks.make_renditions(**job)
    rows = set(Rendition.objects.filter(image=image).values_list("pk", "file"))
    on_disk = files_under(media_root)
    with django_capture_on_commit_callbacks() as callbacks:
        assert tasks.make_renditions(**job) == len(rows)
    assert set(Rendition.objects.filter(image=image).values_list("pk", "file")) == rows
    assert files_under(media_root) == on_disk
    assert callbacks == [], "a run that changed nothing should renew no page and delete no file"


def test_a_rerun_removes_the_files_a_killed_run_left_and_keeps_one_set(media_root):
    image = pending_picture(1200, 800)
    folder = media_root / rendition_folder(image.pk)
    folder.mkdir(parents=True)
    # What a run killed before its commit leaves: files under the names it would give, no rows.
    left = [folder / f"{image.pk}-full-320-{images.focal_key(image, '')[:8]}.jpg", folder / "half-written.webp"]
    for path in left:
        path.write_bytes(b"\xff\xd8 cut off")
    run_rendition_jobs()
    assert not any(path.exists() and str(path.relative_to(media_root)) not in stored_files(image) for path in left)
    assert {media_root / name for name in stored_files(image)} == files_under(folder), "one set, nothing else"
    assert len(stored_files(image)) == len(images.wanted_renditions(image))


def test_the_job_of_a_picture_deleted_meanwhile_does_nothing(media_root):
    image = pending_picture()
    [job] = queued_rendition_jobs()
    Image.objects.filter(pk=image.pk).delete()
    assert tasks.make_renditions(**job) == 0


# The admin


def test_the_admin_shows_a_pending_picture_with_a_note_in_arabic(client, editor, media_root):
    image = pending_picture()
    client.force_login(editor)
    listing = client.get(LIST).content.decode()
    assert "النسخ المصغّرة قيد الإعداد" in listing
    assert f'src="{image.file.url}"' in listing, "the list shows the picture itself meanwhile"
    form = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'data-renditions="pending"' in form and "تعرض الصفحات الصورة الأصلية" in form

    run_rendition_jobs()
    assert "النسخ المصغّرة قيد الإعداد" not in client.get(LIST).content.decode()
    assert "data-renditions" not in client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()


def test_the_admin_says_when_the_job_gave_up(client, editor, media_root):
    image = pending_picture()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_jobs SET status = 'failed' WHERE task_name = 'articles.make_renditions'")
    client.force_login(editor)
    form = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert 'data-renditions="failed"' in form and "احفظ الصورة مرة أخرى" in form


# Remaking renditions


def test_remake_renditions_queues_the_pictures_that_lack_them(media_root):
    complete = ImageFactory()
    images.make_renditions(complete)
    lacking = ImageFactory()
    out = io.StringIO()
    call_command("remake_renditions", stdout=out)
    assert "Queued renditions for 1 pictures" in out.getvalue()
    assert queued_rendition_jobs() == [{"image_id": lacking.pk}]


def test_remake_renditions_now_makes_them_in_the_command(media_root):
    lacking = ImageFactory()
    call_command("remake_renditions", "--now", stdout=io.StringIO())
    assert len(stored_files(lacking)) == len(images.wanted_renditions(lacking))
    assert queued_rendition_jobs() == []


def test_remake_renditions_remake_replaces_every_file(media_root, django_capture_on_commit_callbacks):
    image = ImageFactory()
    images.make_renditions(image)
    before = stored_files(image)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remake_renditions", str(image.pk), "--remake", "--now", stdout=io.StringIO())
    after = stored_files(image)
    assert len(after) == len(before) and not after & before
    assert files_under(media_root / rendition_folder(image.pk)) == {media_root / name for name in after}


def test_remaking_renditions_whose_files_were_lost_keeps_the_new_files(media_root, django_capture_on_commit_callbacks):
    # The remade copies take the lost files' names (free again): the clean-up after the commit
    # must not delete them.
    image = ImageFactory()
    images.make_renditions(image)
    for path in files_under(media_root / rendition_folder(image.pk)):
        path.unlink()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remake_renditions", str(image.pk), "--remake", "--now", stdout=io.StringIO())
    recorded = {media_root / name for name in stored_files(image)}
    assert len(recorded) == len(images.wanted_renditions(image))
    assert files_under(media_root / rendition_folder(image.pk)) == recorded
