"""Uploads are checked and cleaned; renditions are made once, right-sized, metadata-free, and reused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st
from PIL import ExifTags
from PIL import Image as PillowImage

from articles import images
from articles.management.commands.load_demo import STORY_SLUG
from articles.models import Image, Rendition

from .factories import ImageFactory, picture_bytes

pytestmark = pytest.mark.django_db

BLUE, ORANGE = (40, 90, 160), (230, 120, 20)


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored(data: bytes, **fields) -> Image:
    return ImageFactory(file=images.clean_upload(upload(data)), **fields)


def opened(field_file) -> PillowImage.Image:
    with field_file.open("rb") as handle:
        picture = PillowImage.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def close_to(pixel, colour, tolerance=30):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def gps_exif() -> PillowImage.Exif:
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    exif[ExifTags.Base.Make] = "TelescopeCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (33.0, 30.0, 47.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (36.0, 17.0, 31.0),
    }
    return exif


# Accepting and refusing uploads


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_accepted_format_is_stored_in_its_own_format(kind):
    cleaned = images.clean_upload(upload(picture_bytes(300, 200, format=kind), name="x.bin"))
    picture = PillowImage.open(cleaned)
    assert picture.format == kind
    assert picture.size == (300, 200)
    assert cleaned.name.endswith("." + images.ACCEPTED_FORMATS[kind])


def test_a_phone_jpeg_with_a_second_picture_inside_is_stored_as_a_plain_jpeg():
    # Pixel and other phones add an HDR gain map as a second picture (Pillow calls the file "MPO").
    main, gain_map = PillowImage.new("RGB", (400, 300), BLUE), PillowImage.new("L", (200, 150), 128)
    source = io.BytesIO()
    main.save(source, format="MPO", save_all=True, append_images=[gain_map])
    assert PillowImage.open(io.BytesIO(source.getvalue())).format == "MPO"
    cleaned = images.clean_upload(upload(source.getvalue()))
    picture = PillowImage.open(cleaned)
    assert (picture.format, picture.size, getattr(picture, "n_frames", 1)) == ("JPEG", (400, 300), 1)
    assert cleaned.name.endswith(".jpg")


def refused_code(data: bytes, name="photo.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        images.clean_upload(upload(data, name=name))
    return caught.value.code


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    assert refused_code(svg, name="logo.svg") == "invalid_image"


def test_html_named_like_a_photo_is_refused():
    assert refused_code(b"<!doctype html><script>alert(document.cookie)</script>", name="photo.jpg") == "invalid_image"


def test_truncated_jpeg_is_refused():
    data = picture_bytes(1200, 900, quality=95)
    assert refused_code(data[: len(data) // 2]) == "corrupt_image"


def test_corrupt_png_is_refused():
    data = bytearray(picture_bytes(400, 300, format="PNG"))
    data[200:260] = b"\x00" * 60  # damage the compressed pixel data
    assert refused_code(bytes(data), name="chart.png") in {"corrupt_image", "invalid_image"}


def test_bmp_and_tiff_are_refused_even_though_pillow_reads_them():
    assert refused_code(picture_bytes(50, 50, format="BMP"), name="scan.bmp") == "invalid_image"
    assert refused_code(picture_bytes(50, 50, format="TIFF"), name="scan.tif") == "invalid_image"


def test_decompression_bomb_is_refused_before_decoding():
    # 10,000 × 10,000 one-bit pixels compress to a few kilobytes but claim 100 megapixels.
    bomb = io.BytesIO()
    PillowImage.new("1", (10_000, 10_000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 100_000
    assert refused_code(bomb.getvalue(), name="bomb.png") == "too_many_pixels"


def test_file_above_the_size_limit_is_refused(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 10_000
    with pytest.raises(ValidationError) as caught:
        images.clean_upload(upload(picture_bytes(1200, 900, quality=95)))
    assert caught.value.code == "too_large"
    message = str(caught.value.messages[0])
    assert "19" in message and "9" in message, "the message should give the file's size and the limit"


def test_refusal_messages_are_in_arabic():
    from django.utils import translation

    with translation.override("ar"):
        with pytest.raises(ValidationError) as caught:
            images.clean_upload(upload(b"<html></html>"))
        message = str(caught.value.messages[0])
    assert "صورة" in message, message


# Orientation and metadata


def test_exif_orientation_is_applied_and_gps_removed_from_the_original():
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = picture_bytes(800, 400, exif=gps_exif(), icc_profile=srgb)
    assert PillowImage.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "test photo lacks GPS"
    image = stored(source)
    original = opened(image.file)
    # Turned upright: a landscape shot held sideways is a portrait, the blue half on top.
    assert original.size == (400, 800)
    assert (image.width, image.height) == (400, 800)
    assert close_to(original.getpixel((200, 100)), BLUE)
    assert close_to(original.getpixel((200, 700)), ORANGE)
    assert not original.getexif()
    assert "icc_profile" not in original.info, "colours should be converted to sRGB and the profile dropped"
    with image.file.open("rb") as handle:
        raw = handle.read()
    assert b"Exif" not in raw and b"TelescopeCam" not in raw


def test_no_rendition_carries_exif_gps_or_a_profile():
    exif = gps_exif()
    source = io.BytesIO()
    PillowImage.new("RGB", (1400, 900), BLUE).save(source, format="JPEG", exif=exif, comment=b"secret note")
    image = stored(source.getvalue())
    with image.file.open("rb") as handle:
        original = handle.read()
    assert b"TelescopeCam" not in original and b"secret note" not in original
    renditions = images.make_renditions(image)
    assert renditions
    for rendition in renditions:
        with rendition.file.open("rb") as handle:
            raw = handle.read()
        picture = PillowImage.open(io.BytesIO(raw))
        assert not picture.getexif(), rendition
        assert "icc_profile" not in picture.info and "xmp" not in picture.info, rendition
        assert b"TelescopeCam" not in raw and b"secret note" not in raw, rendition


def test_sixteen_bit_greyscale_keeps_its_tones():
    source = io.BytesIO()
    PillowImage.new("I;16", (64, 48), 32768).save(source, format="PNG")
    cleaned = PillowImage.open(images.clean_upload(upload(source.getvalue(), name="scan.png")))
    assert close_to(cleaned.convert("RGB").getpixel((10, 10)), (128, 128, 128), tolerance=2)


def test_gif_comments_are_dropped_and_animation_kept():
    frames = [PillowImage.new("RGB", (60, 40), colour) for colour in (BLUE, ORANGE, (255, 255, 255))]
    source = io.BytesIO()
    frames[0].save(source, format="GIF", save_all=True, append_images=frames[1:], comment=b"made at home")
    cleaned = images.clean_upload(upload(source.getvalue(), name="a.gif"))
    raw = cleaned.read()
    assert b"made at home" not in raw
    assert PillowImage.open(io.BytesIO(raw)).n_frames == 3


# Renditions


def test_renditions_cover_every_width_crop_and_format_without_enlarging():
    image = stored(picture_bytes(2000, 1500))
    made = images.make_renditions(image)
    by_crop = {}
    for r in made:
        by_crop.setdefault(r.crop, set()).add((r.width, r.format))
    assert {w for w, _ in by_crop[""]} == {320, 640, 960, 1280, 1920}
    assert {w for w, _ in by_crop["16:9"]} == {320, 640, 960, 1280}
    assert {w for w, _ in by_crop["1:1"]} == {160, 320, 640}
    assert all({f for w2, f in by_crop[c] if w2 == w} == {"webp", "jpeg"} for c in by_crop for w, _ in by_crop[c])
    for r in made:
        picture = opened(r.file)
        assert picture.size == (r.width, r.height), r
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[r.format], r
        assert r.size == r.file.size
        expected_ratio = {"": 2000 / 1500, "16:9": 16 / 9, "1:1": 1}[r.crop]
        assert abs(r.width / r.height - expected_ratio) < 0.02, r


def test_a_small_original_is_never_enlarged():
    image = stored(picture_bytes(200, 150))
    widths = {(r.crop, r.width) for r in images.make_renditions(image)}
    assert widths == {("", 200), ("16:9", 200), ("1:1", 150)}


def test_making_renditions_again_reuses_every_stored_file(django_assert_max_num_queries):
    image = stored(picture_bytes(1000, 700))
    first = {r.pk: r.file.name for r in images.make_renditions(image)}
    # Take the image's lock, read the image and its renditions (in a savepoint): nothing is made,
    # nothing written.
    with django_assert_max_num_queries(5):
        second = {r.pk: r.file.name for r in images.make_renditions(image)}
    assert second == first
    assert Rendition.objects.filter(image=image).count() == len(first)


def test_crops_keep_the_focal_point_in_frame():
    # Left half blue, right half orange: a square crop shows only the half the focal point is in.
    image = stored(picture_bytes(1200, 600), focal_x=0.05, focal_y=0.5)
    square = next(r for r in images.make_renditions(image) if r.crop == "1:1" and r.format == "jpeg")
    picture = opened(square.file)
    assert close_to(picture.getpixel((picture.width // 2, picture.height // 2)), BLUE)

    image.focal_x = 0.95
    image.save()
    square = next(r for r in images.make_renditions(image) if r.crop == "1:1" and r.format == "jpeg")
    picture = opened(square.file)
    assert close_to(picture.getpixel((picture.width // 2, picture.height // 2)), ORANGE)


def test_moving_the_focal_point_replaces_crops_and_keeps_whole_pictures(django_capture_on_commit_callbacks):
    image = stored(picture_bytes(1200, 800), focal_x=0.2)
    before = images.make_renditions(image)
    old_crops = [r for r in before if r.crop]
    whole = {r.pk for r in before if not r.crop}
    storage = Rendition._meta.get_field("file").storage

    image.focal_x = 0.8
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        after = images.make_renditions(image)

    assert {r.pk for r in after if not r.crop} == whole
    assert not Rendition.objects.filter(pk__in=[r.pk for r in old_crops]).exists()
    assert not any(storage.exists(r.file.name) for r in old_crops), "stale crop files were left behind"
    assert all(storage.exists(r.file.name) for r in after)


def test_transparent_png_gets_a_white_background_in_jpeg_and_keeps_alpha_in_webp():
    image = stored(picture_bytes(700, 500, format="PNG", transparent=True, colour=(0, 0, 0, 0)))
    made = images.make_renditions(image)
    jpeg = opened(next(r for r in made if r.crop == "" and r.format == "jpeg").file)
    webp = opened(next(r for r in made if r.crop == "" and r.format == "webp").file)
    assert close_to(jpeg.getpixel((10, 10)), (255, 255, 255))
    assert webp.mode == "RGBA" and webp.getpixel((10, 10))[3] == 0


def test_files_go_through_the_configured_storage(settings):
    # InMemoryStorage has no .path(): any code assuming a local file would fail here.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    image = stored(picture_bytes(700, 500))
    made = images.make_renditions(image)
    assert opened(made[0].file).size == (made[0].width, made[0].height)
    assert not (settings.MEDIA_ROOT / "images").exists()


@given(
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    ratio=st.sampled_from([16 / 9, 1.0]),
    fx=st.floats(0, 1),
    fy=st.floats(0, 1),
)
def test_a_crop_box_always_lies_inside_the_picture(width, height, ratio, fx, fy):
    left, top, right, bottom = images.crop_box(width, height, ratio, fx, fy)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    # The box is as large as the ratio allows: it touches both edges along one axis.
    assert right - left == width or bottom - top == height


# The picture tag


def render_picture(image, role):
    return Template("{% load images %}{% picture image role %}").render(Context({"image": image, "role": role}))


def test_picture_tag_serves_webp_with_a_jpeg_fallback_and_fixed_dimensions():
    image = stored(picture_bytes(2000, 1500), alt_ar="رتل دبابات على طريق ساحلي")
    images.make_renditions(image)
    html = render_picture(image, "lead")
    assert '<source type="image/webp" srcset="' in html
    assert "1920w" in html and "320w" in html
    assert 'width="1920" height="1440"' in html
    assert 'loading="eager"' in html and 'fetchpriority="high"' in html
    assert 'alt="رتل دبابات على طريق ساحلي"' in html
    assert ".jpg 960w" in html and ".webp 960w" in html


def test_cards_and_thumbnails_use_their_crops_and_load_lazily():
    image = stored(picture_bytes(2000, 1500))
    images.make_renditions(image)
    card = render_picture(image, "card")
    thumb = render_picture(image, "thumb")
    assert 'width="1280" height="720"' in card and 'loading="lazy"' in card
    assert 'width="640" height="640"' in thumb and 'loading="lazy"' in thumb
    assert "-16x9-" in card and "-1x1-" in thumb


def test_picture_tag_falls_back_to_the_original_without_making_files():
    image = stored(picture_bytes(900, 600))
    html = render_picture(image, "card")
    assert f'src="{image.file.url}"' in html
    assert 'width="900" height="600"' in html
    assert "<source" not in html
    assert not Rendition.objects.filter(image=image).exists()


def test_picture_tag_ignores_crops_made_for_an_old_focal_point_and_shows_the_whole_picture_meanwhile():
    image = stored(picture_bytes(1200, 800))
    images.make_renditions(image)
    Image.objects.filter(pk=image.pk).update(focal_x=0.9)  # moved, renditions not yet remade
    image.refresh_from_db()
    html = render_picture(image, "card")
    assert "-16x9-" not in html
    assert "-full-960-" in html and f'src="{image.file.url}"' not in html, "resized copies beat the original"
    assert 'width="960" height="640"' in html, "the stand-in keeps its own dimensions"


def test_picture_tag_renders_nothing_without_an_image():
    assert render_picture(None, "lead").strip() == ""


# The demo


def test_the_demo_story_gets_an_illustration_once_with_renditions():
    from io import StringIO

    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", stdout=StringIO())
    story = Article.objects.public().get(slug=STORY_SLUG)
    assert story.lead_image is not None
    assert story.lead_image.alt_ar.startswith("رسم توضيحي")
    assert story.lead_image.credit == "وكالة تليسكوب الإخبارية"
    made = Rendition.objects.filter(image=story.lead_image).count()
    assert made > 0
    call_command("load_demo", stdout=StringIO())
    assert Image.objects.count() == 1
    assert Rendition.objects.count() == made
    assert "<source" in render_picture(Article.objects.get(pk=story.pk).lead_image, "lead")
