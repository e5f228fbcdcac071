"""What the newsroom accepts as a picture, and the clean copy of an upload that it stores.

`clean_upload(file)` checks the file's size, then, in a child process with bounded memory and time
(`newsroom.sandbox`), reads its headers, checks what decoding it would cost (frames × pixels), and
decodes and re-encodes it without metadata. Nothing here touches the database or the storage.
"""

import io
import logging
import math
import struct
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import GifImagePlugin, ImageCms, ImageFile, ImageOps, UnidentifiedImageError
from PIL import Image as PillowImage

from newsroom import sandbox

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

SRGB = ImageCms.createProfile("sRGB")


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


def _server_busy() -> ValidationError:
    return ValidationError(
        _("The server is too busy to check this picture just now. Try again in a minute."), code="server_busy"
    )


# What the journalist is told when the sandbox stopped the decoding, by the reason it gave.
_REFUSALS = {"crashed": _corrupt, "busy": _server_busy, "memory": _too_costly, "time": _too_costly}


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
        raise _REFUSALS.get(exceeded.reason, _too_costly)() from exceeded
    extension, _newline, data = outcome.data.partition(b"\n")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension.decode()}")


_EXCEEDED = {
    "memory": "ran out of memory",
    "time": "ran out of time",
    "crashed": "crashed",
    "busy": "could not start (the server is out of memory or processes)",
}


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


def to_srgb(picture: PillowImage.Image) -> PillowImage.Image:
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


def flatten(picture: PillowImage.Image, keep_alpha: bool) -> PillowImage.Image:
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
        upright = to_srgb(picture)
        # Pillow writes some metadata (JPEG comments, ...) straight from `info`: empty it.
        upright.info = {}
        # Encoder settings chosen for a bounded time at 50 megapixels (a photo saved as PNG takes
        # 6 times as long with optimize=True, a WebP 8 times as long at method 4); renditions,
        # not originals, are what readers download.
        if kind == "JPEG":
            flatten(upright, keep_alpha=False).save(out, format="JPEG", quality=90, optimize=True)
        elif kind == "PNG":
            flatten(upright, keep_alpha=True).save(out, format="PNG", compress_level=6)
        else:
            flatten(upright, keep_alpha=True).save(out, format="WEBP", quality=90, method=2)
    return ACCEPTED_FORMATS[kind], out.getvalue()


def _frames(picture: PillowImage.Image) -> Iterator[PillowImage.Image]:
    """Each frame as its own image, keeping only timing and transparency from its metadata."""
    for index in range(getattr(picture, "n_frames", 1)):
        picture.seek(index)
        frame = picture.copy()
        frame.info = {key: value for key, value in picture.info.items() if key in GIF_TIMING}
        yield frame
