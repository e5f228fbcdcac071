"""When the media storage cannot be written, an upload says so in Arabic, keeps the form, and leaves
no file and no row behind, whichever step failed: the original or any rendition."""

import errno
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import images
from articles.models import Image, Rendition

from .factories import ImageFactory, picture_bytes
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


# Every step of a save: the original (room 0), the first rendition (1), one well into them (9).
@pytest.mark.parametrize("room", [0, 1, 9])
def test_a_full_disk_at_any_step_leaves_no_file_and_no_row(client, journalist, disk_with_room, media_root, room):
    disk_with_room(room)
    client.force_login(journalist)
    response = client.post(ADD, form_data(photo()))
    assert_refused_and_kept(response)
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert files_under(media_root) == [], "files written before the failure should be removed"


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
    disk_with_room(3)
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
