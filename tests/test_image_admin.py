"""The image library in the admin: upload as each role, refusals that keep the form, search, focal point."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image, Rendition

from .factories import ImageFactory, gif_bomb, picture_bytes
from .rendition_jobs import queued_rendition_jobs, run_rendition_jobs

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_image_add")
LIST = reverse("admin:articles_image_changelist")


def form_data(file=None, **fields):
    data = {
        "alt_ar": "متظاهرون يرفعون الأعلام في ساحة الأمويين",
        "alt_en": "Protesters raise flags in Umayyad Square",
        "caption_ar": "ساحة الأمويين في دمشق، الجمعة",
        "caption_en": "",
        "credit": "وكالة تليسكوب الإخبارية",
        "focal_x": "0.3",
        "focal_y": "0.6",
        **fields,
    }
    if file is not None:
        data["file"] = file
    return data


def photo(name="square.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data or picture_bytes(1600, 1000), content_type=content_type)


@pytest.mark.parametrize("role", ["journalist", "editor", "chief"])
def test_every_role_can_upload_a_photo_and_gets_renditions_from_the_worker(client, role_users, role):
    user = role_users[role]
    client.force_login(user)
    response = client.post(ADD, form_data(photo()))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert image.uploaded_by == user
    assert (image.width, image.height) == (1600, 1000)
    assert (image.focal_x, image.focal_y) == (0.3, 0.6)
    assert image.file.name.startswith("images/") and "square" not in image.file.name
    assert queued_rendition_jobs() == [{"image_id": image.pk}]
    assert run_rendition_jobs() == 1
    assert Rendition.objects.filter(image=image, format="webp").exists()
    assert Rendition.objects.filter(image=image, format="jpeg", crop="16:9").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo("page.jpg", b"<html><body>not a photo</body></html>"), "ليس صورة"),
        (photo("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"), "ليس صورة"),
        (photo("cut.jpg", picture_bytes(1200, 900, quality=95)[:2_000]), "تالفة"),
    ],
    ids=["html", "svg", "truncated"],
)
def test_a_refused_upload_says_why_in_arabic_and_keeps_what_was_typed(client, editor, upload, message):
    client.force_login(editor)
    response = client.post(ADD, form_data(upload))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, "the reason for the refusal should be shown in Arabic"
    assert "متظاهرون يرفعون الأعلام في ساحة الأمويين" in page, "the Arabic alt text was lost"
    assert "ساحة الأمويين في دمشق، الجمعة" in page, "the caption was lost"
    assert 'value="0.3"' in page, "the focal point was lost"
    assert not Image.objects.exists()


def test_a_decompression_bomb_is_refused_in_the_admin(client, editor):
    import io

    from PIL import Image as PillowImage

    bomb = io.BytesIO()
    PillowImage.new("1", (10_000, 10_000)).save(bomb, format="PNG")
    client.force_login(editor)
    response = client.post(ADD, form_data(photo("bomb.png", bomb.getvalue(), "image/png")))
    assert response.status_code == 200
    assert "ميغابكسل" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.parametrize(("size", "frames"), [(7000, 10), (2000, 100)])
def test_a_gif_bomb_is_refused_in_arabic_and_the_form_keeps_what_was_typed(client, journalist, size, frames):
    client.force_login(journalist)
    response = client.post(ADD, form_data(photo("bomb.gif", gif_bomb(size, frames), "image/gif")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "عدد إطارات هذه الصورة المتحركة" in page and "ميغابكسل" in page, "the refusal should say why, in Arabic"
    assert "متظاهرون يرفعون الأعلام في ساحة الأمويين" in page, "the Arabic alt text was lost"
    assert "ساحة الأمويين في دمشق، الجمعة" in page, "the caption was lost"
    assert not Image.objects.exists()


def test_arabic_alt_text_is_required(client, editor):
    client.force_login(editor)
    response = client.post(ADD, form_data(photo(), alt_ar=""))
    assert response.status_code == 200
    assert "هذا الحقل مطلوب" in response.content.decode()
    assert not Image.objects.exists()


def test_the_library_finds_images_by_caption_credit_and_alt(client, journalist):
    ImageFactory(alt_ar="دبابة على طريق ساحلي", caption_ar="قرب طرطوس", credit="رويترز")
    ImageFactory(alt_ar="قاعة مؤتمرات فارغة", caption_ar="جنيف", credit="وكالة تليسكوب الإخبارية")
    client.force_login(journalist)
    for query in ["طرطوس", "رويترز", "دبابة"]:
        page = client.get(LIST, {"q": query}).content.decode()
        assert "دبابة على طريق ساحلي" in page, query
        assert "قاعة مؤتمرات فارغة" not in page, query


def test_the_library_shows_small_square_thumbnails_not_originals(client, editor, django_assert_max_num_queries):
    from articles import images

    for _ in range(3):
        images.make_renditions(ImageFactory())
    client.force_login(editor)
    response = client.get(LIST)
    page = response.content.decode()
    thumbs = re.findall(r'<picture class="library-thumb">.*?</picture>', page, re.S)
    assert len(thumbs) == 3
    assert all("-1x1-160-" in thumb for thumb in thumbs)
    assert all('src="/media/images/' not in thumb for thumb in thumbs), "the list should not load originals"
    # A fourth image costs no extra queries: renditions are prefetched.
    images.make_renditions(ImageFactory())
    with django_assert_max_num_queries(12):
        client.get(LIST)


def test_an_editor_moving_the_focal_point_gets_new_crops(client, editor):
    from articles import images

    image = ImageFactory(focal_x=0.5, focal_y=0.5)
    old_crops = {r.pk for r in images.make_renditions(image) if r.crop}
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    response = client.post(change, form_data(focal_x="0.1", focal_y="0.2", alt_ar=image.alt_ar))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert queued_rendition_jobs() == [{"image_id": image.pk}], "a moved focal point should queue new crops"
    run_rendition_jobs()
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.1, 0.2)
    crops = Rendition.objects.filter(image=image).exclude(crop="")
    assert crops.exists() and not crops.filter(pk__in=old_crops).exists()
    assert set(crops.values_list("focal_key", flat=True)) == {images.focal_key(image, "16:9")} | {
        images.focal_key(image, "1:1")
    }


def test_journalists_cannot_change_an_uploaded_image(client, journalist):
    image = ImageFactory()
    client.force_login(journalist)
    change = reverse("admin:articles_image_change", args=[image.pk])
    response = client.post(change, form_data(focal_x="0.9", alt_ar=image.alt_ar))
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.focal_x == 0.5


def test_the_form_has_the_focal_point_picker_and_its_script(client, editor):
    image = ImageFactory()
    client.force_login(editor)
    for url in [ADD, reverse("admin:articles_image_change", args=[image.pk])]:
        page = client.get(url).content.decode()
        assert 'class="focal-picker"' in page, url
        assert "admin/focal-point.js" in page, url
        assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in page, url


def test_uploading_from_the_story_form_popup_returns_the_new_image(client, journalist):
    client.force_login(journalist)
    story_form = client.get(reverse("admin:articles_article_add")).content.decode()
    assert re.search(r'id="add_id_lead_image"[^>]*href="/admin/articles/image/add/\?[^"]*_popup=1', story_form), (
        "the story form should offer to upload a new lead image"
    )
    response = client.post(f"{ADD}?_to_field=id&_popup=1", {**form_data(photo()), "_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    image = Image.objects.get()
    page = response.content.decode()
    assert "popup_response.js" in page and f"&quot;value&quot;: &quot;{image.pk}&quot;" in page
    assert queued_rendition_jobs() == [{"image_id": image.pk}]
