"""Image files: what the newsroom accepts, how an original is cleaned, and the renditions readers get.

Three verbs:

- `clean_upload(file)` checks an upload and returns a re-encoded copy: EXIF orientation applied,
  colours converted to sRGB, every piece of metadata (EXIF, GPS, XMP, comments, ICC) dropped.
  The stored original is this copy, so even `/media/` never serves what the camera wrote.
  Re-encoding also disarms polyglot files (an image with HTML or a script appended). Its cost
  (frames × pixels) is checked before decoding, and the decoding runs in a bounded child process.
- `save_image(image)` stores an image's new file, its row and its renditions, all or nothing:
  when the media storage fails, no file and no row is left behind (`MediaUnavailable`).
- `make_renditions(image)` makes the resized and cropped copies that pages use, once, and
  records each in a `Rendition` row. Calling it again makes only what is missing and removes
  crops made around an old focal point or from a replaced file.

`picture_sources(image, role)` reads those rows for templates and never makes a file.
Every file goes through the storage in `STORAGES["default"]` (open/save/delete, never a path).
"""

import hashlib
import io
import logging
import math
import struct
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import GifImagePlugin, ImageCms, ImageFile, ImageOps, UnidentifiedImageError
from PIL import Image as PillowImage

from newsroom import sandbox

from . import cache
from .models import Image, Rendition

logger = logging.getLogger(__name__)

# A truncated file must fail validation, not be padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False
# GIF frames that share the file's palette stay palette images when decoded (one byte a pixel).
# Pillow's default turns every frame after the first into RGB (three or four bytes a pixel), which
# the GIF encoder must then quantise back, losing colours and time.
GifImagePlugin.LOADING_STRATEGY = GifImagePlugin.LoadingStrategy.RGB_AFTER_DIFFERENT_PALETTE_ONLY
# Load every format plugin now, in the worker: the decoding child then imports nothing.
PillowImage.init()
# What Pillow raises for a file that stops making sense partway through decoding.
DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, PillowImage.DecompressionBombError)

# Pillow's names for the formats we accept, and the extension the cleaned original gets.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "MPO": "jpg"}
# A phone's JPEG with a second picture inside (an HDR gain map, a depth map) is "MPO" to Pillow;
# its main picture is stored as a plain JPEG and the rest dropped with the other metadata.
STORED_AS = {"MPO": "JPEG"}
# Each frame has a fixed cost whatever its size (the encoder compares it with the one before).
MAX_FRAMES = 500
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


def _invalid() -> ValidationError:
    return ValidationError(
        _("This file is not a picture we can use. Upload a JPEG, PNG, WebP or GIF photo."),
        code="invalid_image",
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        _("This picture is damaged or incomplete (perhaps cut off during upload). Try the original file again."),
        code="corrupt_image",
    )


def _too_costly() -> ValidationError:
    return ValidationError(
        _(
            "This picture would take more memory or time to process than one upload may use. "
            "Upload a smaller picture, or an animation with fewer or smaller frames."
        ),
        code="too_costly",
    )


@dataclass(frozen=True)
class Extent:
    """What decoding a picture costs: each frame we decode is a whole canvas of pixels."""

    width: int
    height: int
    frames: int

    @property
    def pixels(self) -> int:
        return self.width * self.height * self.frames


def decode_limits() -> sandbox.Limits:
    return sandbox.Limits(
        memory_bytes=settings.IMAGE_DECODE_MEMORY_BYTES,
        cpu_seconds=settings.IMAGE_DECODE_SECONDS,
        wall_seconds=settings.IMAGE_DECODE_SECONDS,
    )


def clean_upload(file) -> File:
    """Check an upload and return the copy to store: upright, sRGB, no metadata, a neutral name.

    Only the file's size is checked here. Everything that reads the picture, from its headers to
    the re-encoded copy, runs in a child process with bounded memory and time (`newsroom.sandbox`):
    the headers are the upload's word, the sandbox the guarantee that no file costs the worker.
    """
    check_size(file)
    try:
        outcome = sandbox.run_confined(lambda: _clean(file), decode_limits())
    except sandbox.Exceeded as exceeded:
        logger.warning("An uploaded picture was refused: its decoding %s.", _EXCEEDED[exceeded.reason])
        raise (_corrupt() if exceeded.reason == "crashed" else _too_costly()) from exceeded
    extension, _newline, data = outcome.data.partition(b"\n")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension.decode()}")


_EXCEEDED = {"memory": "ran out of memory", "time": "ran out of time", "crashed": "crashed"}


def check_size(file) -> None:
    max_bytes = settings.IMAGE_MAX_UPLOAD_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the largest picture we accept is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def _clean(file) -> bytes:
    """In the sandbox: the cleaned copy, prefixed with its extension and a newline."""
    picture = open_checked(file)
    try:
        extension, data = _reencode(picture)
    except DECODE_ERRORS as error:
        raise _corrupt() from error
    return extension.encode() + b"\n" + data


def open_checked(file) -> PillowImage.Image:
    """Open an upload whose decoding costs no more than we allow, or raise a ValidationError saying why not.

    Reads headers only: what it returns is not decoded yet. Decode it inside `sandbox.run_confined`,
    as `clean_upload` does.
    """
    max_pixels = settings.IMAGE_MAX_PIXELS
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
    check_extent(measure(picture, file))
    try:
        # verify() checks what decoding skips (PNG chunk checksums); it spends the image object.
        picture.verify()
        file.seek(0)
        return PillowImage.open(file)
    except DECODE_ERRORS as error:
        raise _corrupt() from error


def measure(picture: PillowImage.Image, file) -> Extent:
    """The canvas and the number of frames we will decode, from the headers alone."""
    if picture.format == "GIF":
        file.seek(0)
        return gif_extent(file.read())
    # Only the first frame of an animated PNG or WebP is kept, so only it is decoded.
    width, height = picture.size
    return Extent(width, height, 1)


def gif_extent(data: bytes) -> Extent:
    """Frames and canvas of a GIF, read from its block structure without decoding a pixel.

    Pillow's `n_frames` also skips the pixel data (measured: 0.1 ms for the 7000 × 7000 × 10 bomb),
    but it neither gives each frame's rectangle nor grows the canvas while counting, and when a
    frame reaches beyond the logical screen Pillow decodes every later frame on the larger canvas.
    So the canvas here is the union of the screen and every frame.
    """
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    position = 13 + _colour_table_size(flags)
    frames = 0
    try:
        while position < len(data):
            block = data[position]
            if block == 0x3B:  # trailer
                break
            if block == 0x21:  # extension: label, then sub-blocks
                position = _after_sub_blocks(data, position + 2)
            elif block == 0x2C:  # image descriptor, colour table, LZW code size, sub-blocks
                left, top, frame_width, frame_height, flags = struct.unpack_from("<HHHHB", data, position + 1)
                frames += 1
                width, height = max(width, left + frame_width), max(height, top + frame_height)
                position = _after_sub_blocks(data, position + 10 + _colour_table_size(flags) + 1)
            else:
                break  # Pillow stops at the same place; decoding will say if something is missing
    except (IndexError, struct.error):
        pass  # truncated: count what was announced, decoding refuses the rest
    return Extent(width, height, max(frames, 1))


def _colour_table_size(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _after_sub_blocks(data: bytes, position: int) -> int:
    while data[position]:
        position += data[position] + 1
    return position + 1


def check_extent(extent: Extent) -> None:
    max_pixels = settings.IMAGE_MAX_PIXELS
    if extent.frames > MAX_FRAMES:
        raise ValidationError(
            _("This animation has %(frames)s frames; the most we accept is %(limit)s.")
            % {"frames": extent.frames, "limit": MAX_FRAMES},
            code="too_many_frames",
        )
    if extent.pixels <= max_pixels:
        return
    if extent.frames == 1:
        raise _too_many_pixels(max_pixels, extent.width, extent.height)
    raise ValidationError(
        _(
            "This animation has %(frames)s frames of %(width)s × %(height)s pixels, %(total)s megapixels to "
            "decode in all; the most we accept is %(limit)s megapixels."
        )
        % {
            "frames": extent.frames,
            "width": extent.width,
            "height": extent.height,
            "total": math.ceil(extent.pixels / 1_000_000),
            "limit": max_pixels // 1_000_000,
        },
        code="too_many_pixels",
    )


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
    return picture if picture.mode == "RGB" else picture.convert("RGB")


def _reencode(picture: PillowImage.Image) -> tuple[str, bytes]:
    """Decode a checked picture and encode the copy we store; returns its extension and bytes."""
    kind = STORED_AS.get(picture.format, picture.format)
    out = io.BytesIO()
    if kind == "GIF":
        # Keep the animation. GIF has no EXIF; comments and application extensions are dropped.
        # Frames are decoded one at a time and handed straight to the encoder, which keeps one
        # palette copy of each (one byte a pixel: at most IMAGE_MAX_PIXELS bytes in all).
        loop = picture.info.get("loop", 0)
        frames = _frames(picture)
        first = next(frames)
        first.save(out, format="GIF", save_all=True, append_images=frames, loop=loop)
    else:
        # In place: a 50-megapixel photo is 150 MB a copy.
        ImageOps.exif_transpose(picture, in_place=True)
        upright = _to_srgb(picture)
        # Pillow writes some metadata (JPEG comments, ...) straight from `info`: empty it.
        upright.info = {}
        # Encoder settings chosen for a bounded time at 50 megapixels (a photo saved as PNG takes
        # 6 times as long with optimize=True, a WebP 8 times as long at method 4); renditions,
        # not originals, are what readers download.
        if kind == "JPEG":
            _flatten(upright, keep_alpha=False).save(out, format="JPEG", quality=90, optimize=True)
        elif kind == "PNG":
            _flatten(upright, keep_alpha=True).save(out, format="PNG", compress_level=6)
        else:
            _flatten(upright, keep_alpha=True).save(out, format="WEBP", quality=90, method=2)
    return ACCEPTED_FORMATS[kind], out.getvalue()


def _frames(picture: PillowImage.Image) -> Iterator[PillowImage.Image]:
    """Each frame as its own image, keeping only timing and transparency from its metadata."""
    for index in range(getattr(picture, "n_frames", 1)):
        picture.seek(index)
        frame = picture.copy()
        frame.info = {key: value for key, value in picture.info.items() if key in GIF_TIMING}
        yield frame


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


class MediaUnavailable(Exception):
    """The media storage refused to read or write a file. Raised after every file the failing call
    wrote has been removed again; its rows roll back with the exception."""


def save_image(image: Image) -> list[Rendition]:
    """Save an image with the file assigned to it, and make its renditions: all of it, or nothing.

    A file assigned to `image.file` and not stored yet (an upload's cleaned copy) is written first,
    so the row never names a missing file. When the media storage fails at any step (the original,
    a rendition), the files written so far are removed, the row rolls back, and MediaUnavailable is
    raised. A replaced original is deleted once the new one is committed. Returns the renditions.
    """
    storage = image.file.storage
    previous = Image.objects.filter(pk=image.pk).values_list("file", flat=True).first() if image.pk else None
    written: list[str] = []
    try:
        with transaction.atomic():
            if not getattr(image.file, "_committed", True):
                pending = image.file
                name = _write(storage, pending.field.generate_filename(image, pending.name), pending.file, written)
                with _media():
                    image.file = name  # reads the stored copy's dimensions back
            image.save()
            renditions = make_renditions(image)
    except BaseException:
        _remove(storage, written)
        raise
    if previous and previous != image.file.name:
        transaction.on_commit(partial(_remove, storage, [previous]), robust=True)
    return renditions


def make_renditions(image: Image) -> list[Rendition]:
    """Make every rendition the image should have that is not stored yet; remove stale ones.

    Idempotent: a second call makes nothing. Holds the image row's lock, so two saves at once
    cannot make the same file twice. Stale files are deleted only after the commit, so a
    rolled-back call loses nothing; a failed call (MediaUnavailable when the storage refuses a
    write) removes the files it wrote. Returns the image's current renditions.
    """
    storage = Rendition._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            return _make_renditions(image, written)
    except BaseException:
        _remove(storage, written)
        raise


def _make_renditions(image: Image, written: list[str]) -> list[Rendition]:
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
            for rendition in _render(image, source, items, written):
                existing[(rendition.width, rendition.format, rendition.crop, rendition.focal_key)] = rendition
    if stale:
        names = [row.file.name for row in stale]
        Rendition.objects.filter(pk__in=[row.pk for row in stale]).delete()
        storage = Rendition._meta.get_field("file").storage
        transaction.on_commit(partial(_remove, storage, names), robust=True)
    if stale or missing:
        # Cached pages name the old files (or the original, before the renditions existed).
        transaction.on_commit(cache.invalidate_all)
    return [existing[w.identity] for w in wanted]


@contextmanager
def _media() -> Iterator[None]:
    """Whatever the storage raises (OSError from a disk, a client error from a bucket) inside is
    MediaUnavailable outside. Wrap storage calls only, so that a bug is not taken for an outage."""
    try:
        yield
    except MediaUnavailable:
        raise
    except Exception as error:
        raise MediaUnavailable(f"{type(error).__name__}: {error}") from error


def _write(storage, name: str, content, written: list[str]) -> str:
    """Store `content` under a free name and note the name in `written` even if the write fails
    partway (a full disk leaves part of the file): nobody else's file can have that name."""
    with _media():
        name = storage.get_available_name(name)
        written.append(name)
        stored = storage.save(name, content)
    if stored != name:
        written.append(stored)
    return stored


def _remove(storage, names: list[str]) -> None:
    """Delete files, each on its own: one that cannot be deleted (the storage is down) is logged
    with its name, for an operator to remove, and the others still go."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove the media file %s; nothing refers to it any more.", name)


def _open_original(image: Image, scale: float) -> PillowImage.Image:
    with _media(), image.file.open("rb") as handle:
        data = handle.read()
    picture = PillowImage.open(io.BytesIO(data))
    if picture.format == "JPEG" and scale < 1:
        # JPEG decodes at 1/2, 1/4 or 1/8 scale directly, much faster for big photos; Pillow
        # picks the smallest scale that still gives at least the requested size.
        picture.draft(None, (max(1, round(picture.width * scale)), max(1, round(picture.height * scale))))
    picture.load()
    # Originals are stored upright and in sRGB by clean_upload; an older file may not be.
    return _to_srgb(ImageOps.exif_transpose(picture))


def _render(image: Image, source: PillowImage.Image, items: list[Wanted], written: list[str]) -> list[Rendition]:
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
        field = rendition.file.field
        content = ContentFile(out.getvalue())
        rendition.file = _write(field.storage, field.generate_filename(rendition, name), content, written)
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
