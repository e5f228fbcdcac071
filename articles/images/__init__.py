"""Image files: what the newsroom accepts, how an original is cleaned, and the renditions readers get.

Three verbs:

- `clean_upload(file)` checks an upload and returns a re-encoded copy: EXIF orientation applied,
  colours converted to sRGB, every piece of metadata (EXIF, GPS, XMP, comments, ICC) dropped.
  The stored original is this copy, so even `/media/` never serves what the camera wrote.
  Re-encoding also disarms polyglot files (an image with HTML or a script appended). Its cost
  (frames × pixels) is checked before decoding, and the decoding runs in a bounded child process.
- `save_image(image)` stores an image's new file and its row, all or nothing (when the media
  storage fails, no file and no row is left behind: `MediaUnavailable`), and queues the job that
  makes its renditions in the same transaction.
- `make_renditions(image)` (run by that job, `articles.tasks.make_renditions`) makes the resized
  and cropped copies that pages use, once, and records each in a `Rendition` row. Calling it
  again makes only what is missing, removes crops made around an old focal point or from a
  replaced file, and removes files a killed call left behind.

`picture_sources(image, role)` reads those rows for templates and never makes a file; until the
job has run it stands in with the original (or the whole picture's copies), with its dimensions.
Every file goes through the storage in `STORAGES["default"]` (open/save/delete, never a path).

Modules depend in one direction: `uploads` (checking and cleaning an upload; no database, no
storage) ← `renditions` (storing an image and its copies). Callers use the names below.
"""

from .renditions import (
    CROP_WIDTHS,
    ROLES,
    MediaUnavailable,
    PictureSources,
    crop_box,
    focal_key,
    make_renditions,
    missing_renditions,
    picture_sources,
    save_image,
    wanted_renditions,
)
from .uploads import (
    ACCEPTED_FORMATS,
    MAX_FRAMES,
    Extent,
    check_extent,
    check_size,
    clean_upload,
    decode_limits,
    gif_extent,
    open_checked,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "CROP_WIDTHS",
    "MAX_FRAMES",
    "ROLES",
    "Extent",
    "MediaUnavailable",
    "PictureSources",
    "check_extent",
    "check_size",
    "clean_upload",
    "crop_box",
    "decode_limits",
    "focal_key",
    "gif_extent",
    "make_renditions",
    "missing_renditions",
    "open_checked",
    "picture_sources",
    "save_image",
    "wanted_renditions",
]
