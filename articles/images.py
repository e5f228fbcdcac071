"""Image files: what the newsroom accepts, how an original is cleaned, and the renditions readers get.

Two verbs write:

- `clean_upload(file)` checks an upload and returns a re-encoded copy: EXIF orientation applied,
  colours converted to sRGB, every piece of metadata (EXIF, GPS, XMP, comments, ICC) dropped.
  The stored original is this copy, so even `/media/` never serves what the camera wrote.
  Re-encoding also disarms polyglot files (an image with HTML or a script appended).
- `make_renditions(image)` makes the resized and cropped copies that pages use, once, and
  records each in a `Rendition` row. Calling it again makes only what is missing and removes
  crops made around an old focal point or from a replaced file.

`picture_sources(image, role)` reads those rows for templates and never makes a file.
Every file goes through the storage in `STORAGES["default"]` (open/save/delete, never a path).
"""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PillowImage
from PIL import ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from . import cache
from .models import Image, Rendition

# A truncated file must fail validation, not be padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Pillow's names for the formats we accept, and the extension the cleaned original gets.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_GIF_FRAMES = 500
# What a GIF frame keeps of Pillow's `info`: timing and transparency, no comments or extensions.
GIF_TIMING = {"duration", "transparency", "disposal", "background", "loop"}

# Widths made for each crop. "" is the whole picture (lead images, articles), "16:9" for cards,
# "1:1" for thumbnails. No rendition is wider than what it is cut from.
CROP_WIDTHS = {
    "": (320, 640, 960, 1280, 1920),
    "16:9": (320, 640, 960, 1280),
    "1:1": (160, 320, 640),
}
CROP_RATIOS = {"16:9": 16 / 9, "1:1": 1.0}
FORMATS = (Rendition.Format.WEBP, Rendition.Format.JPEG)
ENCODE = {
    Rendition.Format.WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    Rendition.Format.JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
SRGB = ImageCms.createProfile("sRGB")

# How each place on a page uses a picture: which crop, and how wide it is drawn (`sizes`).
ROLES = {
    "lead": {"crop": "", "sizes": "(min-width: 62rem) 50rem, 100vw"},
    "card": {"crop": "16:9", "sizes": "(min-width: 62rem) 20rem, (min-width: 40rem) 50vw, 100vw"},
    "thumb": {"crop": "1:1", "sizes": "6rem"},
}


def _invalid():
    return ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF photo."),
        code="invalid_image",
    )


def open_checked(file) -> PillowImage.Image:
    """Open an upload and decode it completely, or raise a ValidationError that says why not."""
    max_bytes, max_pixels = settings.IMAGE_MAX_UPLOAD_BYTES, settings.IMAGE_MAX_PIXELS
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the largest picture we accept is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower; Pillow's warning would only be noise in the logs.
            warnings.simplefilter("ignore", PillowImage.DecompressionBombWarning)
            picture = PillowImage.open(file)
    except PillowImage.DecompressionBombError as error:
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise _invalid() from error
    if picture.format not in ACCEPTED_FORMATS:
        raise _invalid()
    # The header is read; nothing is decoded yet, so a bomb is refused before it costs memory.
    width, height = picture.size
    if width * height > max_pixels or getattr(picture, "n_frames", 1) > MAX_GIF_FRAMES:
        raise _too_many_pixels(max_pixels, width, height)
    try:
        # verify() checks what decoding skips (PNG chunk checksums); it spends the image object.
        picture.verify()
        file.seek(0)
        picture = PillowImage.open(file)
        for frame in range(getattr(picture, "n_frames", 1)):
            picture.seek(frame)
            picture.load()
        picture.seek(0)
    except (OSError, ValueError, SyntaxError, EOFError, PillowImage.DecompressionBombError) as error:
        raise ValidationError(
            _("This picture is damaged or incomplete (perhaps cut off during upload). Try the original file again."),
            code="corrupt_image",
        ) from error
    return picture


def _too_many_pixels(max_pixels, width=None, height=None):
    if width:
        return ValidationError(
            _("This picture is %(width)s × %(height)s pixels; the largest we accept is %(limit)s megapixels.")
            % {"width": width, "height": height, "limit": max_pixels // 1_000_000},
            code="too_many_pixels",
        )
    return ValidationError(
        _("This picture has too many pixels; the largest we accept is %(limit)s megapixels.")
        % {"limit": max_pixels // 1_000_000},
        code="too_many_pixels",
    )


def _to_srgb(picture: PillowImage.Image) -> PillowImage.Image:
    """Convert colours from an embedded ICC profile to sRGB, so dropping the profile keeps them."""
    icc = picture.info.get("icc_profile")
    if not icc or picture.mode not in {"RGB", "RGBA", "CMYK"}:
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(picture, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture


def _flatten(picture: PillowImage.Image, keep_alpha: bool) -> PillowImage.Image:
    """RGB (or RGBA when transparency matters and the format keeps it); transparent areas on white."""
    if picture.mode.startswith("I"):
        # 16-bit greyscale (scans, some PNG exports): scale to 8 bits rather than clip to white.
        picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = picture.mode in {"RGBA", "LA", "PA"} or (picture.mode == "P" and "transparency" in picture.info)
    if has_alpha:
        picture = picture.convert("RGBA")
        if keep_alpha:
            return picture
        background = PillowImage.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def clean_upload(file) -> File:
    """Check an upload and return the copy to store: upright, sRGB, no metadata, a neutral name."""
    picture = open_checked(file)
    kind = picture.format
    extension = ACCEPTED_FORMATS[kind]
    out = io.BytesIO()
    if kind == "GIF":
        # Keep the animation. GIF has no EXIF; comments and application extensions are dropped.
        frames = list(_frames(picture))
        for frame in frames:
            frame.info = {k: v for k, v in frame.info.items() if k in GIF_TIMING}
        frames[0].save(
            out,
            format="GIF",
            save_all=len(frames) > 1,
            append_images=frames[1:],
            loop=picture.info.get("loop", 0),
            duration=picture.info.get("duration", 100),
        )
    else:
        upright = _to_srgb(ImageOps.exif_transpose(picture))
        # Pillow writes some metadata (JPEG comments, ...) straight from `info`: empty it.
        upright.info = {}
        if kind == "JPEG":
            _flatten(upright, keep_alpha=False).save(out, format="JPEG", quality=90, optimize=True)
        elif kind == "PNG":
            _flatten(upright, keep_alpha=True).save(out, format="PNG", optimize=True)
        else:
            _flatten(upright, keep_alpha=True).save(out, format="WEBP", quality=90, method=4)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _frames(picture):
    for index in range(getattr(picture, "n_frames", 1)):
        picture.seek(index)
        yield picture.copy()


@dataclass(frozen=True)
class Wanted:
    width: int
    height: int
    format: str
    crop: str
    focal_key: str

    @property
    def identity(self) -> tuple:
        return (self.width, self.format, self.crop, self.focal_key)


def crop_box(width: int, height: int, ratio: float, focal_x: float, focal_y: float) -> tuple[int, int, int, int]:
    """The largest box of the given aspect ratio inside the picture, centred on the focal point
    as far as the edges allow."""
    if width / height > ratio:
        box_w, box_h = max(1, round(height * ratio)), height
    else:
        box_w, box_h = width, max(1, round(width / ratio))
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _box(image: Image, crop: str) -> tuple[int, int, int, int]:
    if not crop:
        return 0, 0, image.width, image.height
    return crop_box(image.width, image.height, CROP_RATIOS[crop], image.focal_x, image.focal_y)


def focal_key(image: Image, crop: str) -> str:
    """What a rendition was cut from: the original file, and for crops the focal point too.

    Replacing the file or moving the focal point changes the key, so the old copies stop
    matching and `make_renditions` replaces them.
    """
    source = image.file.name
    if crop:
        source += f"|{image.focal_x:.3f},{image.focal_y:.3f}"
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def wanted_renditions(image: Image) -> list[Wanted]:
    wanted = []
    for crop, widths in CROP_WIDTHS.items():
        left, top, right, bottom = _box(image, crop)
        box_w, box_h = right - left, bottom - top
        # Never enlarge: a small original gets one copy at its own width.
        sizes = [w for w in widths if w <= box_w] or [box_w]
        key = focal_key(image, crop)
        for width in sizes:
            height = max(1, round(box_h * width / box_w))
            wanted.extend(Wanted(width, height, fmt, crop, key) for fmt in FORMATS)
    return wanted


def make_renditions(image: Image) -> list[Rendition]:
    """Make every rendition the image should have that is not stored yet; remove stale ones.

    Idempotent: a second call makes nothing. Holds the image row's lock, so two saves at once
    cannot make the same file twice. Stale files are deleted only after the commit, so a
    rolled-back call loses nothing. Returns the image's current renditions.
    """
    with transaction.atomic():
        image = Image.objects.select_for_update().get(pk=image.pk)
        wanted = wanted_renditions(image)
        wanted_ids = {w.identity for w in wanted}
        existing = {(r.width, r.format, r.crop, r.focal_key): r for r in image.renditions.all()}
        stale = [row for key, row in existing.items() if key not in wanted_ids]
        missing = [w for w in wanted if w.identity not in existing]
        if missing:
            # Decode only as much of the original as the largest copy still to make needs.
            scale = max(w.width / (_box(image, w.crop)[2] - _box(image, w.crop)[0]) for w in missing)
            source = _open_original(image, scale)
            groups: dict[tuple, list[Wanted]] = {}
            for item in missing:
                groups.setdefault((item.crop, item.width, item.height), []).append(item)
            for items in groups.values():
                for rendition in _render(image, source, items):
                    existing[(rendition.width, rendition.format, rendition.crop, rendition.focal_key)] = rendition
        if stale:
            names = [row.file.name for row in stale]
            Rendition.objects.filter(pk__in=[row.pk for row in stale]).delete()
            storage = Rendition._meta.get_field("file").storage
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
        if stale or missing:
            # Cached pages name the old files (or the original, before the renditions existed).
            transaction.on_commit(cache.invalidate_all)
        return [existing[w.identity] for w in wanted]


def _open_original(image: Image, scale: float) -> PillowImage.Image:
    with image.file.open("rb") as handle:
        picture = PillowImage.open(io.BytesIO(handle.read()))
        if picture.format == "JPEG" and scale < 1:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale directly, much faster for big photos; Pillow
            # picks the smallest scale that still gives at least the requested size.
            picture.draft(None, (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))))
        picture.load()
    # Originals are stored upright and in sRGB by clean_upload; an older file may not be.
    return _to_srgb(ImageOps.exif_transpose(picture))


def _render(image: Image, source: PillowImage.Image, items: list[Wanted]) -> list[Rendition]:
    """One size of one crop, resized once and encoded in each wanted format."""
    first = items[0]
    # The box is computed on the stored size, then scaled to the decoded (draft) size.
    left, top, right, bottom = _box(image, first.crop)
    sx, sy = source.width / image.width, source.height / image.height
    picture = source.crop((round(left * sx), round(top * sy), round(right * sx), round(bottom * sy)))
    picture = _flatten(picture, keep_alpha=True)
    if picture.size != (first.width, first.height):
        picture = picture.resize((first.width, first.height), PillowImage.Resampling.LANCZOS, reducing_gap=3.0)
    crop_name = {"": "full", "16:9": "16x9", "1:1": "1x1"}[first.crop]
    made = []
    for item in items:
        out = io.BytesIO()
        encoded = picture if item.format == Rendition.Format.WEBP else _flatten(picture, keep_alpha=False)
        encoded.info = {}
        # No exif=, icc_profile= or xmp= arguments: Pillow writes no metadata unless given it.
        encoded.save(out, **ENCODE[item.format])
        extension = "webp" if item.format == Rendition.Format.WEBP else "jpg"
        rendition = Rendition(
            image=image,
            width=item.width,
            height=item.height,
            format=item.format,
            crop=item.crop,
            focal_key=item.focal_key,
            size=out.tell(),
        )
        name = f"{image.pk}-{crop_name}-{item.width}-{item.focal_key[:8]}.{extension}"
        rendition.file.save(name, ContentFile(out.getvalue()), save=False)
        rendition.save()
        made.append(rendition)
    return made


@dataclass(frozen=True)
class PictureSources:
    """What `<picture>` needs: a WebP and a JPEG srcset, a fallback src and its dimensions."""

    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int
    sizes: str


def picture_sources(image: Image, role: str) -> PictureSources:
    """The stored renditions for a role, read from `image.renditions.all()` (prefetch it on
    listings: `prefetch_related("lead_image__renditions")`). Makes no file: when the renditions
    are missing (made before this code, or a failed save) it falls back to the original."""
    spec = ROLES.get(role, ROLES["card"])
    crop = spec["crop"]
    key = focal_key(image, crop)
    rows = sorted((r for r in image.renditions.all() if r.crop == crop and r.focal_key == key), key=lambda r: r.width)
    webp = [r for r in rows if r.format == Rendition.Format.WEBP]
    jpeg = [r for r in rows if r.format == Rendition.Format.JPEG]
    if not jpeg:
        return PictureSources("", "", image.file.url, image.width, image.height, spec["sizes"])
    largest = jpeg[-1]
    # The fallback src is a middle width: old browsers without srcset get a reasonable file.
    fallback = next((r for r in jpeg if r.width >= 960), largest)
    return PictureSources(
        webp_srcset=", ".join(f"{r.file.url} {r.width}w" for r in webp),
        jpeg_srcset=", ".join(f"{r.file.url} {r.width}w" for r in jpeg),
        src=fallback.file.url,
        width=largest.width,
        height=largest.height,
        sizes=spec["sizes"],
    )
