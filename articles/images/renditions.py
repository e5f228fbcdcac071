"""Storing an image and the resized copies that pages use.

`save_image(image)` writes an image's new file and its row, all or nothing, and queues the job
that makes its renditions; `make_renditions(image)` (what that job runs) makes the copies once,
and `picture_sources(image, role)` reads them for templates without making a file, standing in
for copies not made yet. Every file goes through the storage in `STORAGES["default"]`
(open/save/delete/listdir, never a path).
"""

import hashlib
import io
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.db import connection, transaction
from PIL import Image as PillowImage
from PIL import ImageOps

from .. import cache, signals
from ..models import Image, Rendition, rendition_folder
from .uploads import flatten, to_srgb

logger = logging.getLogger(__name__)

# The class key of the transaction-level advisory lock that one image's rendition making holds
# (the second key is the image's id). Any constant: it is only compared with itself.
RENDITIONS_LOCK = 0x726E6472  # "rndr"

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
# How each place on a page uses a picture: which crop, and how wide it is drawn (`sizes`).
ROLES = {
    "lead": {"crop": "", "sizes": "(min-width: 62rem) 50rem, 100vw"},
    "card": {"crop": "16:9", "sizes": "(min-width: 62rem) 20rem, (min-width: 40rem) 50vw, 100vw"},
    "thumb": {"crop": "1:1", "sizes": "6rem"},
}


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


def missing_renditions(image: Image, stored: Iterable[Rendition] | None = None) -> list[Wanted]:
    """The renditions the image should have that are not among `stored` (default:
    `image.renditions.all()`, which a prefetch may have narrowed)."""
    have = {(r.width, r.format, r.crop, r.focal_key) for r in (image.renditions.all() if stored is None else stored)}
    return [w for w in wanted_renditions(image) if w.identity not in have]


class MediaUnavailable(Exception):
    """The media storage refused to read or write a file. Raised after every file the failing call
    wrote has been removed again; its rows roll back with the exception."""


def save_image(image: Image) -> int | None:
    """Save an image with the file assigned to it, and queue the job that makes its renditions.

    A file assigned to `image.file` and not stored yet (an upload's cleaned copy) is written first,
    so the row never names a missing file. When the media storage fails, the file written is
    removed, the row rolls back, and MediaUnavailable is raised. The job
    (`articles.tasks.make_renditions`) is written in the caller's transaction when the picture is
    new, its file or focal point changed, or renditions are missing (an earlier job failed): it
    runs only if the save commits. Until it has run, pages show the original or the whole
    picture's copies (`picture_sources`). A replaced original is deleted once the new one is
    committed. Returns the job's id, or None when nothing needed queuing.
    """
    from .. import tasks

    storage = image.file.storage
    before = Image.objects.filter(pk=image.pk).values("file", "focal_x", "focal_y").first() if image.pk else None
    written: list[str] = []
    try:
        with transaction.atomic():
            if not getattr(image.file, "_committed", True):
                pending = image.file
                name = _write(storage, pending.field.generate_filename(image, pending.name), pending.file, written)
                with _media():
                    image.file = name  # reads the stored copy's dimensions back
            image.save()
            now = {"file": image.file.name, "focal_x": image.focal_x, "focal_y": image.focal_y}
            # A change back to an earlier focal point still queues: a job already running may be
            # removing the copies made for it. Renditions are read afresh (a prefetch may be narrowed).
            missing = before == now and missing_renditions(image, Rendition.objects.filter(image_id=image.pk))
            job = tasks.queue_renditions(image) if before != now or missing else None
    except BaseException:
        _remove(storage, written)
        raise
    if before and before["file"] != image.file.name:
        transaction.on_commit(partial(_remove, storage, [before["file"]]), robust=True)
    return job


def make_renditions(image: Image, remake: bool = False) -> list[Rendition]:
    """Make every rendition the image should have that is not stored yet; remove stale ones.

    Idempotent: a second call makes nothing, and a call after one that was killed midway (its rows
    rolled back, its files left behind) removes those files before making the set. Holds a lock
    for the image (an advisory one, so that editing the picture's row never waits for the
    rendering), so two calls at once cannot make the same file twice. Stale files are deleted only
    after the commit, so a rolled-back call loses nothing; a failed call (MediaUnavailable when the
    storage refuses a write) removes the files it wrote. When anything changed, the pages of the
    public stories that show the picture are renewed after the commit. `remake` makes every
    rendition again, replacing the stored ones (after a change of encoder settings). Returns the
    image's current renditions.
    """
    storage = Rendition._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            return _make_renditions(image, written, remake)
    except BaseException:
        _remove(storage, written)
        raise


def _make_renditions(image: Image, written: list[str], remake: bool) -> list[Rendition]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RENDITIONS_LOCK, image.pk % 2**31])
    # Read after taking the lock: the file and focal point as they are now.
    image = Image.objects.get(pk=image.pk)
    wanted = wanted_renditions(image)
    wanted_ids = {w.identity for w in wanted}
    existing = {(r.width, r.format, r.crop, r.focal_key): r for r in image.renditions.all()}
    storage = Rendition._meta.get_field("file").storage
    _remove_unrecorded(storage, image, {row.file.name for row in existing.values()})
    stale = [row for key, row in existing.items() if remake or key not in wanted_ids]
    if stale:
        # Deleted first, so a remade copy can take its place; the files go after the commit.
        Rendition.objects.filter(pk__in=[row.pk for row in stale]).delete()
        existing = {} if remake else {key: row for key, row in existing.items() if key in wanted_ids}
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
        # A remade copy takes the very name of a stale file that was lost (its name was free again):
        # never delete what a rendition now names.
        kept = {row.file.name for row in existing.values()}
        gone = [row.file.name for row in stale if row.file.name not in kept]
        transaction.on_commit(partial(_remove, storage, gone), robust=True)
    if stale or missing:
        # Cached pages show the picture from its original, or name the stale files.
        transaction.on_commit(partial(_renditions_changed, image.pk), robust=True)
    return [existing[w.identity] for w in wanted]


def _remove_unrecorded(storage, image: Image, recorded: set[str]) -> None:
    """Delete the files in the image's rendition folder that no rendition row names: written by a
    call that was killed before it committed, or stale copies whose removal after a commit was
    lost. Call holding the image's lock: no other call is writing there."""
    folder = rendition_folder(image.pk)
    try:
        with _media():
            _folders, names = storage.listdir(folder)
    except MediaUnavailable as error:
        if isinstance(error.__cause__, FileNotFoundError):
            return  # nothing stored for this image yet
        raise
    leftovers = [folder + name for name in names if folder + name not in recorded]
    if leftovers:
        logger.warning("Removing %d rendition files of image %s that no row records.", len(leftovers), image.pk)
        with _media():
            for name in leftovers:
                storage.delete(name)


def _renditions_changed(image_id: int) -> None:
    cache.invalidate_picture(image_id)
    signals.renditions_changed.send(Image, image_id=image_id)


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
    return to_srgb(ImageOps.exif_transpose(picture))


def _render(image: Image, source: PillowImage.Image, items: list[Wanted], written: list[str]) -> list[Rendition]:
    """One size of one crop, resized once and encoded in each wanted format."""
    first = items[0]
    # The box is computed on the stored size, then scaled to the decoded (draft) size.
    left, top, right, bottom = _box(image, first.crop)
    sx, sy = source.width / image.width, source.height / image.height
    picture = source.crop((round(left * sx), round(top * sy), round(right * sx), round(bottom * sy)))
    picture = flatten(picture, keep_alpha=True)
    if picture.size != (first.width, first.height):
        picture = picture.resize((first.width, first.height), PillowImage.Resampling.LANCZOS, reducing_gap=3.0)
    crop_name = {"": "full", "16:9": "16x9", "1:1": "1x1"}[first.crop]
    made = []
    for item in items:
        out = io.BytesIO()
        encoded = picture if item.format == Rendition.Format.WEBP else flatten(picture, keep_alpha=False)
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
    """What `<picture>` needs: a WebP and a JPEG srcset, a fallback src and its dimensions.

    `pending` when the role's own renditions are not made yet and a stand-in is given: the whole
    picture's renditions (for a crop), or else the original, each with its own dimensions.
    """

    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int
    sizes: str
    pending: bool = False


def picture_sources(image: Image, role: str) -> PictureSources:
    """The stored renditions for a role, read from `image.renditions.all()` (prefetch it on
    listings: `prefetch_related("lead_image__renditions")`). Makes no file: while the role's
    renditions are not made (the job is pending or failed, or the picture predates them) it stands
    in with the whole picture's renditions, or the original, always with width and height."""
    spec = ROLES.get(role, ROLES["card"])
    stored = list(image.renditions.all())
    jpeg = _current(image, stored, spec["crop"], Rendition.Format.JPEG)
    pending = not jpeg
    crop = spec["crop"]
    if pending and crop:
        # Crops around a new focal point come later; the page's CSS crops the whole picture.
        crop = ""
        jpeg = _current(image, stored, crop, Rendition.Format.JPEG)
    if not jpeg:
        return PictureSources("", "", image.file.url, image.width, image.height, spec["sizes"], pending=True)
    webp = _current(image, stored, crop, Rendition.Format.WEBP)
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
        pending=pending,
    )


def _current(image: Image, stored: list[Rendition], crop: str, format: str) -> list[Rendition]:
    """The stored renditions of one crop and format made from the picture as it is now, narrowest first."""
    key = focal_key(image, crop)
    return sorted(
        (r for r in stored if r.crop == crop and r.focal_key == key and r.format == format), key=lambda r: r.width
    )
