"""factory-boy factories. Role users come from the fixtures in conftest.py."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from articles.models import Article, Attribution, Byline, Correction, Image, Section, Source, Status
from articles.roles import ensure_roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name_ar = factory.Sequence(lambda n: f"كاتب رقم {n}")
    display_name_en = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            ensure_roles()
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name_ar = factory.Sequence(lambda n: f"قسم {n}")
    name_en = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name_ar = factory.Sequence(lambda n: f"مصدر {n}")
    name_en = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.ORGANISATION


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft. Use `published()` for a story readers can see."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline_ar = factory.Sequence(lambda n: f"عنوان الخبر رقم {n}")
    body_ar = "<p>نص الخبر.</p>"
    slug = factory.Sequence(lambda n: f"khabar-{n}")
    section = factory.SubFactory(SectionFactory)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


def published(**fields) -> Article:
    """A story that is public now (set directly: tests of the workflow itself use transition())."""
    now = timezone.now()
    fields.setdefault("publish_at", now - timedelta(minutes=5))
    fields.setdefault("first_published_at", fields["publish_at"])
    return ArticleFactory(status=Status.PUBLISHED, **fields)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    description_ar = "مسؤول حكومي"


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text_ar = "صُحّح اسم المدينة."


def picture_bytes(width=800, height=600, format="JPEG", colour=(40, 90, 160), **save_options) -> bytes:
    """A real picture made with Pillow: a two-colour split, so crops and rotations can be checked.

    The left half is `colour`, the right half orange; `save_options` go to Pillow (e.g. `exif=`).
    """
    import io

    from PIL import Image as PillowImage
    from PIL import ImageDraw

    mode = "RGBA" if format in {"PNG", "WEBP"} and save_options.pop("transparent", False) else "RGB"
    picture = PillowImage.new(mode, (width, height), colour)
    ImageDraw.Draw(picture).rectangle([width // 2, 0, width, height], fill=(230, 120, 20))
    out = io.BytesIO()
    picture.save(out, format=format, **save_options)
    return out.getvalue()


def gif_bomb(size: int, frames: int) -> bytes:
    """The GIF that took a worker down: a size × size canvas in one colour, then `frames - 1`
    frames that each change a single pixel. A few kilobytes on disk (7000 × 10 is 37 KB, 2000 × 100
    is 6 KB), size² × frames pixels to decode. The small frames are written by hand (one pixel,
    no colour table of their own), as a hostile file would be; Pillow would add a palette to each."""
    import io
    import struct

    from PIL import Image as PillowImage

    first = PillowImage.new("P", (size, size), 0)
    first.putpalette([0, 0, 0, 255, 255, 255])
    out = io.BytesIO()
    first.save(out, format="GIF", loop=0, duration=100)
    tail = bytearray()
    for index in range(1, frames):
        tail += b"\x21\xf9\x04\x00" + struct.pack("<H", 10) + b"\x00\x00"  # graphic control: 100 ms
        tail += b"\x2c" + struct.pack("<HHHH", index % size, index // size % size, 1, 1) + b"\x00"
        tail += b"\x02\x02\x4c\x01\x00"  # LZW, minimum code size 2: clear, colour 1, end
    return out.getvalue()[:-1] + bytes(tail) + b";"


def animated_gif(width=480, height=270, frames=48) -> bytes:
    """An ordinary newsroom animation: a bar sweeping across a two-colour picture."""
    import io

    from PIL import Image as PillowImage
    from PIL import ImageDraw

    sequence = []
    for index in range(frames):
        frame = PillowImage.new("RGB", (width, height), (40, 90, 160))
        draw = ImageDraw.Draw(frame)
        draw.rectangle([0, height // 2, width, height], fill=(230, 120, 20))
        left = index * width // frames
        draw.rectangle([left, height // 4, left + width // 10, height * 3 // 4], fill=(250, 250, 250))
        sequence.append(frame)
    out = io.BytesIO()
    sequence[0].save(out, format="GIF", save_all=True, append_images=sequence[1:], duration=80, loop=0)
    return out.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A stored image whose file went through images.clean_upload, as an upload's does."""

    class Meta:
        model = Image

    alt_ar = "طريق ساحلي عند الغروب"
    alt_en = "A coastal road at sunset"
    caption_ar = "رتل من الدبابات على الطريق الدولي"
    credit = "وكالة تليسكوب الإخبارية"

    @factory.lazy_attribute
    def file(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from articles.images import clean_upload

        return clean_upload(SimpleUploadedFile("photo.jpg", picture_bytes(), content_type="image/jpeg"))


class ProductFactory(factory.django.DjangoModelFactory):
    """A newswire product; pass `sections=[…]` and `tags=[…]` to narrow it."""

    class Meta:
        model = "newswire.Product"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"منتج {n}")
    languages = "ar"

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            from articles.models import Tag

            tags = [Tag.objects.get_or_create(name=name)[0] if isinstance(name, str) else name for name in extracted]
            self.tags.set(tags)


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A subscriber outlet; pass `products=[…]`."""

    class Meta:
        model = "newswire.Subscriber"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"صحيفة رقم {n}")
    webhook_secret = factory.LazyFunction(lambda: __import__("newswire.keys").keys.new_webhook_secret())

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create and extracted:
            self.products.set(extracted)


def indexed(article):
    """The story's search document written as a save writes it, with what runs once the save
    commits (its words enter the search lexicon); tests run inside a transaction that never does."""
    from django.test import TestCase

    from articles import search

    with TestCase.captureOnCommitCallbacks(execute=True):
        search.update_document(article)
    return article


class BudgetItemFactory(factory.django.DjangoModelFactory):
    """A planned item for today, assigned to nobody yet (plan through desk.budget.save_item to notify)."""

    class Meta:
        model = "desk.BudgetItem"

    day = factory.LazyFunction(timezone.localdate)
    section = factory.SubFactory(SectionFactory)
    working_title = factory.Sequence(lambda n: f"قصة مخططة رقم {n}")
