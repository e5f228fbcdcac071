"""Renditions of a 4000×3000 photo: time to clean and render, and bytes WebP saves.

Runs inside a transaction that is rolled back, with media in a temporary folder.
"""

import io
import random
import tempfile
import time
from pathlib import Path

PHOTO = (4000, 3000)


def photo_bytes(size: tuple[int, int] = PHOTO) -> bytes:
    """A photo-sized JPEG with a photo's kind of detail: the demo landscape, enlarged, with texture
    at every scale (natural pictures have detail at all scales, most of it coarse) and a little
    sensor grain. A flat test pattern would compress far better than a photo and flatter every format."""
    from PIL import Image, ImageChops

    demo = Path(__file__).resolve().parent.parent / "articles" / "demo" / "sunset-over-the-sea.jpg"
    picture = Image.open(demo).convert("RGB").resize(size, Image.Resampling.BICUBIC)
    random.seed(4000)
    texture = Image.new("L", size, 128)
    for octave, (scale, weight) in enumerate([(60, 0.5), (240, 0.35), (960, 0.25), (4000, 0.12)]):
        noise = Image.effect_noise((scale, scale * 3 // 4), 60 - octave * 10).resize(size, Image.Resampling.BICUBIC)
        texture = Image.blend(texture, noise, weight)
    picture = ImageChops.add(picture, texture.convert("RGB"), scale=1.0, offset=-128)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=92)
    return out.getvalue()


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def main() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import override_settings

    from articles import images
    from articles.models import Image

    data = photo_bytes()
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media), transaction.atomic():
        started = time.perf_counter()
        cleaned = images.clean_upload(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))
        clean_s = time.perf_counter() - started
        image = Image.objects.create(file=cleaned, alt_ar="صورة اختبار")

        started = time.perf_counter()
        made = images.make_renditions(image)
        render_s = time.perf_counter() - started

        started = time.perf_counter()
        images.make_renditions(image)
        again_s = time.perf_counter() - started

        image.focal_x = 0.2
        image.save()
        started = time.perf_counter()
        images.make_renditions(image)
        refocus_s = time.perf_counter() - started
        transaction.set_rollback(True)

    print(f"original: {PHOTO[0]}×{PHOTO[1]} JPEG, {kb(len(data))} uploaded, {kb(cleaned.size)} stored after cleaning")
    print()
    print(f"{'step':<44}{'seconds':>10}")
    print(f"{'check + re-encode the upload (clean_upload)':<44}{clean_s:>10.2f}")
    print(f"{f'make all {len(made)} renditions':<44}{render_s:>10.2f}")
    print(f"{'make_renditions again (all reused)':<44}{again_s:>10.3f}")
    print(f"{'move the focal point (crops only)':<44}{refocus_s:>10.2f}")
    print()
    print(f"{'crop':<8}{'width':>7}{'JPEG':>11}{'WebP':>11}{'WebP saves':>12}")
    totals = {"jpeg": 0, "webp": 0}
    rows = {}
    for r in made:
        rows.setdefault((r.crop, r.width), {})[r.format] = r.size
        totals[r.format] += r.size
    for (crop, width), sizes in rows.items():
        saved = 1 - sizes["webp"] / sizes["jpeg"]
        print(f"{crop or 'full':<8}{width:>7}{kb(sizes['jpeg']):>11}{kb(sizes['webp']):>11}{saved:>11.0%}")
    print(f"{'all':<15}{kb(totals['jpeg']):>11}{kb(totals['webp']):>11}{1 - totals['webp'] / totals['jpeg']:>11.0%}")
    full_1920 = rows[("", 1920)]
    print()
    print(
        f"A reader on a wide screen fetches the 1920 px WebP: {kb(full_1920['webp'])}, "
        f"{1 - full_1920['webp'] / len(data):.0%} less than the {kb(len(data))} original; "
        f"a phone (390 px at 2×) the 960 px WebP: {kb(rows[('', 960)]['webp'])}."
    )
