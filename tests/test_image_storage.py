"""When the media storage cannot be written, an upload says so in Arabic, keeps the form, and leaves
no file and no row behind; a rendition job that meets a full disk leaves no rendition behind and is
tried again."""

import errno
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import images, tasks
from articles.models import Image, Rendition

from .factories import ImageFactory, picture_bytes
from .rendition_jobs import queued_rendition_jobs, run_rendition_jobs
from .test_image_admin import form_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_image_add")
MESSAGE = "تعذّر حفظ الصورة"


class DiskFillsUp(FileSystemStorage):
    """Stores `room` files, then fails partway through writing the next, as a full disk does."""

    def __init__(self, room: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.room = room

    def _save(self, name, content):
        if self.room <= 0:
            path = Path(self.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.read()[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= 1
        return super()._save(name, content)


@pytest.fixture
def disk_with_room(settings):
    def configure(room: int):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": f"{__name__}.DiskFillsUp", "OPTIONS": {"room": room}},
        }

    return configure


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


def photo():
    return SimpleUploadedFile("square.jpg", picture_bytes(1600, 1000), content_type="image/jpeg")


def assert_refused_and_kept(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page, "the journalist should be told, in Arabic, that the picture was not stored"
    assert "متظاهرون يرفعون الأعلام في ساحة الأمويين" in page, "the Arabic alt text was lost"
    assert "ساحة الأمويين في دمشق، الجمعة" in page, "the caption was lost"


def test_a_full_disk_leaves_no_file_no_row_and_no_job(client, journalist, disk_with_room, media_root):
    disk_with_room(0)
    client.force_login(journalist)
    response = client.post(ADD, form_data(photo()))
    assert_refused_and_kept(response)
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert files_under(media_root) == [], "the part of the original written before the failure should be removed"
    assert queued_rendition_jobs() == []


# Every step of the job: the first rendition (room 0), one well into them (8).
@pytest.mark.parametrize("room", [0, 8])
def test_a_full_disk_during_the_rendition_job_leaves_no_rendition_and_the_job_is_retried(
    client, journalist, disk_with_room, media_root, room
):
    client.force_login(journalist)
    assert client.post(ADD, form_data(photo())).status_code == 302
    image = Image.objects.get()
    [job] = queued_rendition_jobs()
    disk_with_room(room)
    with pytest.raises(images.MediaUnavailable) as failure:
        tasks.make_renditions(**job)
    assert not Rendition.objects.exists()
    assert files_under(media_root) == [media_root / image.file.name], "only the original should remain"
    retry = tasks.make_renditions.retry_strategy.get_retry_decision(exception=failure.value, job=_job(attempts=1))
    assert retry is not None, "a job that met a full disk should be tried again"
    disk_with_room(100)
    run_rendition_jobs()
    assert Rendition.objects.filter(image=image).count() == len(images.wanted_renditions(image))


def _job(attempts: int):
    from procrastinate.jobs import Job

    return Job(
        id=1, queue="images", lock=None, queueing_lock=None, task_name="articles.make_renditions", attempts=attempts
    )


def test_a_media_folder_that_cannot_be_created_gives_the_message_not_a_500(client, editor, settings, tmp_path):
    # A regular file where the media folder should be: not writable, even for root.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    client.force_login(editor)
    response = client.post(ADD, form_data(photo()))
    assert_refused_and_kept(response)
    assert not Image.objects.exists()


def test_replacing_a_picture_when_the_disk_is_full_keeps_the_old_one_whole(client, editor, disk_with_room, media_root):
    image = ImageFactory()
    images.make_renditions(image)
    before = files_under(media_root)
    renditions = set(Rendition.objects.values_list("pk", flat=True))
    disk_with_room(0)
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    response = client.post(change, form_data(photo(), alt_ar=image.alt_ar, caption_ar="ساحة الأمويين في دمشق، الجمعة"))
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    old_name = image.file.name
    image.refresh_from_db()
    assert image.file.name == old_name
    assert set(Rendition.objects.values_list("pk", flat=True)) == renditions
    assert files_under(media_root) == before, "the old files should stay and no new one should remain"


def test_a_replaced_original_is_deleted_once_the_new_one_is_saved(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    images.make_renditions(image)
    old_original = media_root / image.file.name
    assert old_original.exists()
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, form_data(photo(), alt_ar=image.alt_ar))
    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert (media_root / image.file.name).exists()
    assert not old_original.exists(), "the replaced original should not stay behind"
    with django_capture_on_commit_callbacks(execute=True):
        assert run_rendition_jobs() == 1
    stored = {media_root / name for name in Rendition.objects.values_list("file", flat=True)} | {
        media_root / image.file.name
    }
    assert set(files_under(media_root)) == stored, "only the current original and its renditions should remain"


def test_make_renditions_alone_cleans_up_after_a_full_disk(disk_with_room, media_root):
    image = ImageFactory()
    original = files_under(media_root)
    disk_with_room(4)
    with pytest.raises(images.MediaUnavailable):
        images.make_renditions(image)
    assert not Rendition.objects.filter(image=image).exists()
    assert files_under(media_root) == original
