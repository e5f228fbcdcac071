"""Load the demo newsroom: sections, sources, one member of staff per role and the sample story.

Idempotent: everything is looked up by a stable key first, so running it again adds nothing.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles import cache, images, revisions, search, wire, workflow
from articles.models import Article, Attribution, Byline, Image, Section, Source

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SAMPLE_AR = DEMO_DIR / "wire-telescope-russia-withdrawal.txt"
SAMPLE_EN = DEMO_DIR / "wire-telescope-russia-withdrawal.en.txt"

SECTIONS = [
    # slug, Arabic, English
    ("syria", "سوريا", "Syria"),
    ("politics", "سياسة", "Politics"),
    ("economy", "اقتصاد", "Economy"),
    ("world", "العالم", "World"),
    ("culture", "ثقافة", "Culture"),
    ("sports", "رياضة", "Sports"),
]

SOURCES = [
    # slug, kind, Arabic, English, public description (ar), identity (chief editors only)
    ("telescope", "agency", "وكالة تليسكوب الإخبارية", "Telescope News Agency", "وكالة أنباء عربية مستقلة.", ""),
    ("kremlin", "organisation", "الكرملين", "The Kremlin", "الرئاسة الروسية.", ""),
    (
        "military-operations-command",
        "organisation",
        "إدارة العمليات العسكرية",
        "Military Operations Command",
        "القيادة العسكرية للإدارة السورية الجديدة.",
        "",
    ),
    ("ahmed-al-sharaa", "person", "أحمد الشرع", "Ahmed al-Sharaa", "قائد العمليات العسكرية.", ""),
    (
        "satellite-imagery",
        "document",
        "صور أقمار صناعية تجارية",
        "Commercial satellite imagery",
        "صور أقمار صناعية تحققت منها الوكالة.",
        "",
    ),
    (
        "syrian-officials-group",
        "person",
        "مسؤولون سوريون (مصادر الوكالة)",
        "Syrian officials (agency sources)",
        "",
        "أربعة مسؤولين في وزارتي الدفاع والخارجية، تواصل معهم مراسل الوكالة في دمشق.",
    ),
    (
        "senior-officer-liaison",
        "person",
        "ضابط ارتباط سوري",
        "Syrian liaison officer",
        "",
        "ضابط برتبة عميد على اتصال يومي بقيادة القوات الروسية في حميميم.",
    ),
    (
        "opposition-official",
        "person",
        "مسؤول في المعارضة السورية",
        "Syrian opposition official",
        "",
        "عضو في الهيئة السياسية للمعارضة، يتحدث شرط عدم كشف اسمه.",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str
    name_ar: str
    name_en: str
    slug: str


USERS = [
    DemoUser("journalist", "telescope-journalist", "Journalists", "سارة الحلبي", "Sara al-Halabi", "sara-al-halabi"),
    DemoUser("editor", "telescope-editor", "Editors", "عمر الخطيب", "Omar al-Khatib", "omar-al-khatib"),
    DemoUser("chief", "telescope-chief", "Chief editors", "ليلى النجار", "Layla al-Najjar", "layla-al-najjar"),
]

STORY_SLUG = "روسيا-تبدأ-سحب-قواتها-من-الخطوط-الأمامية-في-سوريا"
STORY = {
    "headline_ar": "روسيا تبدأ سحب قواتها من الخطوط الأمامية في سوريا وتُبقي على قاعدتي طرطوس وحميميم",
    "headline_en": "Russia begins pulling forces from Syria's front lines, keeps Tartus and Hmeimim bases",
    "deck_ar": "أربعة مسؤولين سوريين: الانسحاب يشمل الشمال وجبال الساحل، "
    "والكرملين يؤكد أن روسيا لم تغادر قواعدها الرئيسية",
    "deck_en": "Four Syrian officials say the pull-back covers the north and the coastal mountains; "
    "the Kremlin says Russia has not left its main bases",
    "summary_ar": "رتل دبابات روسية يتجه من جنوب دمشق نحو الساحل، وصور أقمار صناعية تظهر طائرتي شحن في حميميم.",
    "summary_en": "A column of Russian tanks heads from south of Damascus to the coast; "
    "satellite images show two cargo planes at Hmeimim.",
    "dateline_ar": "دمشق",
    "dateline_en": "Damascus",
}
TAGS = ["روسيا", "سوريا", "حميميم", "طرطوس", "أحمد الشرع", "الكرملين"]
ATTRIBUTIONS = [
    # source slug, as the story describes it (ar, en), anonymous
    ("syrian-officials-group", "أربعة مسؤولين سوريين", "four Syrian officials", True),
    ("satellite-imagery", "صور أقمار صناعية التقطت يوم الجمعة", "satellite images taken on Friday", False),
    ("ahmed-al-sharaa", "قائد العمليات العسكرية أحمد الشرع", "military operations commander Ahmed al-Sharaa", False),
    (
        "military-operations-command",
        "مسؤول العلاقات العامة في إدارة العمليات العسكرية",
        "the military operations command's public relations officer",
        False,
    ),
    (
        "senior-officer-liaison",
        "ضابط سوري كبير على اتصال مع الجيش الروسي",
        "a senior Syrian officer in contact with the Russian military",
        True,
    ),
    ("opposition-official", "مسؤول كبير في المعارضة السورية", "a senior Syrian opposition official", True),
    ("kremlin", "الكرملين", "the Kremlin", False),
]

# An illustration drawn procedurally with Pillow for the demo (no news photo is claimed): the
# alt text says what it shows, the caption that it is an illustration.
DEMO_IMAGE = DEMO_DIR / "sunset-over-the-sea.jpg"
DEMO_IMAGE_FIELDS = {
    "alt_ar": "رسم توضيحي: شمس تغرب فوق بحر هادئ خلف سلاسل جبلية بنفسجية، وينعكس ضوؤها على الماء",
    "alt_en": "Illustration: the sun setting over a calm sea behind purple mountain ridges, its light on the water",
    "caption_ar": "صورة توضيحية.",
    "caption_en": "Illustration.",
    "credit": "وكالة تليسكوب الإخبارية",
    "focal_x": 0.64,
    "focal_y": 0.55,
}


class Command(BaseCommand):
    help = "Load demo sections, sources, staff (one per role) and the sample story. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        sections = {slug: self.section(slug, ar, en, position) for position, (slug, ar, en) in enumerate(SECTIONS)}
        sources = {row[0]: self.source(*row) for row in SOURCES}
        users = {user.group: self.user(user) for user in USERS}
        created = self.story(sections["syria"], sources, users)
        self.lead_image()
        self.stdout.write(self.style.SUCCESS("Demo content ready" + (" (sample story published)." if created else ".")))
        self.stdout.write("Demo logins (username / password):")
        for user in USERS:
            self.stdout.write(f"  {user.group:<14} {user.username} / {user.password}")

    def section(self, slug, name_ar, name_en, position):
        section, _ = Section.objects.get_or_create(
            slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "position": position}
        )
        return section

    def source(self, slug, kind, name_ar, name_en, description_ar, identity):
        source, _ = Source.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name_ar": name_ar,
                "name_en": name_en,
                "description_ar": description_ar,
                "identity": identity,
            },
        )
        return source

    def user(self, demo: DemoUser):
        User = get_user_model()
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = User(
                username=demo.username,
                is_staff=True,
                display_name_ar=demo.name_ar,
                display_name_en=demo.name_en,
                slug=demo.slug,
                email=f"{demo.username}@telescope.example",
            )
            user.set_password(demo.password)
            user.save()
        user.groups.add(Group.objects.get(name=demo.group))
        return user

    def story(self, section, sources, users) -> bool:
        if Article.objects.filter(slug=STORY_SLUG).exists():
            return False
        journalist, editor = users["Journalists"], users["Editors"]
        article = Article.objects.create(
            **STORY,
            slug=STORY_SLUG,
            section=section,
            credit=sources["telescope"],
            # The body is what a journalist gets from importing the sample: the wire parser's.
            body_ar=wire.parse(SAMPLE_AR.read_text(encoding="utf-8")).body_html,
            body_en=wire.parse(SAMPLE_EN.read_text(encoding="utf-8")).body_html,
            created_by=journalist,
            created_at=timezone.now() - timedelta(hours=2),
            is_featured=True,
        )
        Byline.objects.create(article=article, author=journalist, position=0)
        article.tags.set(TAGS)
        for position, (slug, description_ar, description_en, anonymous) in enumerate(ATTRIBUTIONS):
            Attribution.objects.create(
                article=article,
                source=sources[slug],
                description_ar=description_ar,
                description_en=description_en,
                is_anonymous=anonymous,
                position=position,
            )
        revisions.save_revision(article, journalist, note="Imported from the wire")
        search.update_document(article)
        workflow.transition(article, "submit", journalist)
        workflow.transition(article, "publish", editor, comment="Demo publication")
        return True

    def lead_image(self):
        """The sample story's lead image, with its renditions: added once, kept if an editor changed it."""
        image = Image.objects.filter(alt_ar=DEMO_IMAGE_FIELDS["alt_ar"]).first()
        if image is None:
            with DEMO_IMAGE.open("rb") as handle:
                image = Image.objects.create(file=images.clean_upload(File(handle)), **DEMO_IMAGE_FIELDS)
        images.make_renditions(image)
        if Article.objects.filter(slug=STORY_SLUG, lead_image__isnull=True).update(lead_image=image):
            transaction.on_commit(cache.invalidate_all)
