"""Load the demo newsroom: sections, sources, one member of staff per role and the sample story.

Idempotent: everything is looked up by a stable key first, so running it again adds nothing.
The demo's staff have published passwords (a chief editor among them, who sees anonymous
sources' identities), so it refuses a database that holds staff it did not make.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_noop

from accounts.demo import demo_authenticator
from articles import cache, images, revisions, search, wire, workflow
from articles.models import Article, Attribution, Byline, Image, Section, Source, Tag, Urgency
from articles.roles import ensure_roles
from desk import demo as desk_demo
from newsroom import localdb

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
# English pages show these names; a tag without one shows its Arabic name.
TAG_NAMES_EN = {
    "روسيا": "Russia",
    "سوريا": "Syria",
    "حميميم": "Hmeimim",
    "طرطوس": "Tartus",
    "أحمد الشرع": "Ahmed al-Sharaa",
    "الكرملين": "The Kremlin",
    "اقتصاد": "Economy",
    "الجامعة العربية": "Arab League",
    "الأردن": "Jordan",
    "الأمم المتحدة": "United Nations",
    "دمشق": "Damascus",
    "كتب": "Books",
    "كرة القدم": "Football",
}
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

# Shorter published stories in other sections, so the front page has something in each block.
# section, slug, hours ago, breaking, tags, then Arabic and English: headline, deck, body paragraphs.
MORE_STORIES = [
    (
        "economy",
        "مصرف-سوريا-المركزي-يثبت-سعر-الصرف",
        1,
        True,
        ["سوريا", "اقتصاد"],
        "مصرف سوريا المركزي يثبّت سعر صرف الليرة للأسبوع الثالث",
        "Syria's central bank holds the pound's exchange rate for a third week",
        "المصرف يقول إن الاحتياطي يكفي لتغطية الواردات الأساسية حتى نهاية العام",
        "The bank says its reserves cover essential imports until the end of the year",
        [
            "أبقى مصرف سوريا المركزي سعر صرف الليرة مقابل الدولار دون تغيير للأسبوع الثالث على التوالي، "
            "في خطوة قال مسؤولون إنها تهدف إلى تهدئة الأسواق.",
            "وقال المصرف في بيان إن احتياطيه من العملات الأجنبية يكفي لتغطية واردات القمح والوقود والدواء "
            "حتى نهاية العام.",
        ],
        [
            "Syria's central bank kept the pound's rate against the dollar unchanged for a third week running, "
            "a step officials said was meant to calm the markets.",
            "The bank said in a statement that its foreign currency reserves cover imports of wheat, fuel and "
            "medicine until the end of the year.",
        ],
    ),
    (
        "politics",
        "وزراء-الخارجية-العرب-يجتمعون-في-عمان",
        3,
        False,
        ["الجامعة العربية", "الأردن"],
        "وزراء الخارجية العرب يجتمعون في عمّان لبحث عودة اللاجئين",
        "Arab foreign ministers meet in Amman on refugees' return",
        "الاجتماع يناقش خطة من ثلاث مراحل تموّلها دول الخليج",
        "The meeting discusses a three-stage plan funded by Gulf states",
        [
            "يجتمع وزراء الخارجية العرب في العاصمة الأردنية عمّان يوم الأحد لبحث خطة لعودة اللاجئين السوريين "
            "من دول الجوار على ثلاث مراحل.",
            "وقال دبلوماسي أردني إن الخطة تشمل إعادة تأهيل المدارس والمستشفيات في المناطق التي يعود إليها اللاجئون.",
        ],
        [
            "Arab foreign ministers meet in the Jordanian capital Amman on Sunday to discuss a three-stage plan "
            "for Syrian refugees to return from neighbouring countries.",
            "A Jordanian diplomat said the plan includes rebuilding schools and hospitals in the areas "
            "refugees return to.",
        ],
    ),
    (
        "world",
        "الأمم-المتحدة-تطلب-تمويلا-طارئا",
        6,
        False,
        ["الأمم المتحدة"],
        "الأمم المتحدة تطلب ٢٫٥ مليار دولار لمساعدات الشتاء في المنطقة",
        "UN asks for $2.5 billion in winter aid for the region",
        "مكتب تنسيق الشؤون الإنسانية: ملايين النازحين يواجهون البرد دون وقود كافٍ",
        "OCHA says millions of displaced people face the cold without enough fuel",
        [
            "أطلق مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية (OCHA) نداءً لجمع ٢٫٥ مليار دولار "
            "لمساعدات الشتاء في سوريا ولبنان والعراق.",
            "وقال المكتب إن ملايين النازحين يعيشون في خيام لا تقيهم البرد.",
        ],
        [
            "The UN Office for the Coordination of Humanitarian Affairs (OCHA) launched an appeal for "
            "$2.5 billion in winter aid for Syria, Lebanon and Iraq.",
            "The office said millions of displaced people live in tents that do not keep out the cold.",
        ],
    ),
    (
        "culture",
        "معرض-دمشق-للكتاب-يعود",
        20,
        False,
        ["دمشق", "كتب"],
        "معرض دمشق الدولي للكتاب يعود بعد انقطاع خمس سنوات",
        "Damascus book fair returns after a five-year break",
        "أكثر من ٢٠٠ دار نشر عربية تشارك في الدورة الجديدة",
        "More than 200 Arab publishers take part in the new edition",
        [
            "افتُتح معرض دمشق الدولي للكتاب بمشاركة أكثر من ٢٠٠ دار نشر من ١٥ دولة عربية، بعد انقطاع دام خمس سنوات.",
            "ويستمر المعرض عشرة أيام، وتُخصَّص أمسياته للشعر والرواية.",
        ],
        [
            "The Damascus International Book Fair opened with more than 200 publishers from 15 Arab countries, "
            "after a five-year break.",
            "The fair runs for ten days, with evenings given to poetry and the novel.",
        ],
    ),
    (
        "sports",
        "منتخب-سوريا-يتأهل",
        30,
        False,
        ["سوريا", "كرة القدم"],
        "منتخب سوريا لكرة القدم يتأهل إلى الدور النهائي من التصفيات الآسيوية",
        "Syria's football team reaches the final round of Asian qualifiers",
        "فوز على ميانمار بثلاثة أهداف دون رد في الجولة الأخيرة",
        "A 3-0 win over Myanmar in the last match",
        [
            "تأهل منتخب سوريا لكرة القدم إلى الدور النهائي من التصفيات الآسيوية بعد فوزه على ميانمار "
            "بثلاثة أهداف دون رد.",
            "وسجّل المهاجم عمر خريبين هدفين في الشوط الثاني.",
        ],
        [
            "Syria's football team reached the final round of the Asian qualifiers after beating Myanmar 3-0.",
            "Striker Omar Khribin scored twice in the second half.",
        ],
    ),
]


def made_by_demo(user) -> bool:
    """The demo's own accounts are its usernames with its published passwords: an account under a
    demo name with any other password belongs to someone, and the demo never takes it over."""
    demo = next((d for d in USERS if d.username == user.username), None)
    return demo is not None and user.check_password(demo.password)


def strangers() -> list[str]:
    """Usernames of staff (and of holders of the demo's usernames) that the demo did not make."""
    candidates = get_user_model().objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(username__in=[d.username for d in USERS])
    )
    return sorted(user.username for user in candidates if not made_by_demo(user))


def is_local_database() -> bool:
    """Whether Django is connected to the database that `newsroom.localdb` found or started for
    `make run` (it writes that address only then, never for a DATABASE_URL it was given)."""
    if not localdb.URL_FILE.exists():
        return False
    local = dj_database_url.parse(localdb.URL_FILE.read_text().strip())
    ours = connection.settings_dict
    return all(str(local.get(key) or "") == str(ours.get(key) or "") for key in ("HOST", "PORT", "NAME"))


class Command(BaseCommand):
    help = (
        "Load demo sections, sources, staff (one per role, with published passwords) and the sample "
        "stories. Safe to run again; refuses a database that holds staff it did not make."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-local",
            action="store_true",
            help="What `make run` uses: load only into the local database that make run found or started, "
            "and skip with a notice (exit 0) where the demo does not belong.",
        )

    def handle(self, *args, if_local=False, **options):
        if if_local and not is_local_database():
            self.stdout.write(
                f"Demo not loaded: {connection.settings_dict['NAME']} is not the local demo database "
                "(run `manage.py load_demo` to load it there)."
            )
            return
        with transaction.atomic():
            found = strangers()
            if found:
                reason = (
                    f"Demo not loaded: this database has staff the demo did not make ({', '.join(found)}); "
                    "the demo's accounts have published passwords and belong only in a database of their own."
                )
                if if_local:
                    self.stdout.write(reason)
                    return
                raise CommandError(reason)
            self.load()

    def load(self):
        sections = {slug: self.section(slug, ar, en, position) for position, (slug, ar, en) in enumerate(SECTIONS)}
        sources = {row[0]: self.source(*row) for row in SOURCES}
        ensure_roles()
        users = {user.group: self.user(user) for user in USERS}
        created = self.story(sections["syria"], sources, users)
        self.lead_image()
        self.more_stories(sections, sources, users)
        for name_ar, name_en in TAG_NAMES_EN.items():
            # An English name an editor has set is theirs to keep.
            Tag.objects.filter(name_ar=name_ar, name_en__isnull=True).update(name_en=name_en)
        desk_demo.load(users, sections)
        self.stdout.write(self.style.SUCCESS("Demo content ready" + (" (sample story published)." if created else ".")))
        self.stdout.write("Demo logins (username / password):")
        for user in USERS:
            self.stdout.write(f"  {user.group:<14} {user.username} / {user.password}")
            if device := demo_authenticator(users[user.group]):
                self.stdout.write(f"    sign-in code: add {device.config_url} to an authenticator app")
                self.stdout.write(f"    or type what this prints: .venv/bin/python manage.py demo_code {user.username}")

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
        # strangers() has made sure that an existing account under this name is the demo's own.
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
        revisions.save_revision(article, journalist, note=gettext_noop("Imported from wire copy"))
        search.update_document(article)
        workflow.transition(article, "submit", journalist)
        workflow.transition(article, "publish", editor, comment="نشر تجريبي")
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

    def more_stories(self, sections, sources, users) -> None:
        """The shorter demo stories, each published once; looked up by slug so nothing is added twice."""
        journalist, editor = users["Journalists"], users["Editors"]
        now = timezone.now()
        for row in MORE_STORIES:
            section, slug, hours, breaking, tags, head_ar, head_en, deck_ar, deck_en, body_ar, body_en = row
            if Article.objects.filter(slug=slug).exists():
                continue
            article = Article.objects.create(
                slug=slug,
                section=sections[section],
                credit=sources["telescope"],
                headline_ar=head_ar,
                headline_en=head_en,
                deck_ar=deck_ar,
                deck_en=deck_en,
                summary_ar=deck_ar,
                summary_en=deck_en,
                body_ar="\n".join(f"<p>{escape(p)}</p>" for p in body_ar),
                body_en="\n".join(f"<p>{escape(p)}</p>" for p in body_en),
                created_by=journalist,
                urgency=Urgency.URGENT if breaking else Urgency.NORMAL,
            )
            Byline.objects.create(article=article, author=journalist, position=0)
            article.tags.set(tags)
            revisions.save_revision(article, journalist, note=gettext_noop("Demo story"))
            search.update_document(article)
            workflow.transition(article, "submit", journalist)
            workflow.transition(article, "publish", editor, comment="نشر تجريبي")
            # Spread the demo over the last day and a half so the front page reads like a real one;
            # publishing always stamps "now", so the times are set afterwards, for the demo only.
            when = now - timedelta(hours=hours)
            Article.objects.filter(pk=article.pk).update(publish_at=when, first_published_at=when, updated_at=when)
