"""Make N published stories of realistic Arabic wire copy, fast, for benchmarks.

Sentences are built from the agency's vocabulary (places, institutions, topics by section, verbs
with the clitics and diacritics wire copy carries), so searches behave as on real copy. About one
story in seven has an English translation. Inserts are bulk, search documents are built in bulk
SQL, and a seed makes runs repeatable. Each run adds N more stories.
"""

import random
import sys
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape
from tqdm import tqdm

from articles import search
from articles.arabic import localize_digits, slugify
from articles.models import Article, Byline, Section, Source, Status, Tag, TaggedArticle, Urgency

from .load_demo import SECTIONS

PLACES = [
    ("دمشق", "Damascus"),
    ("حلب", "Aleppo"),
    ("حمص", "Homs"),
    ("اللاذقية", "Latakia"),
    ("طرطوس", "Tartus"),
    ("إدلب", "Idlib"),
    ("دير الزور", "Deir ez-Zor"),
    ("الرقة", "Raqqa"),
    ("درعا", "Daraa"),
    ("حماة", "Hama"),
    ("بيروت", "Beirut"),
    ("عمّان", "Amman"),
    ("بغداد", "Baghdad"),
    ("القاهرة", "Cairo"),
    ("الرياض", "Riyadh"),
    ("أنقرة", "Ankara"),
    ("موسكو", "Moscow"),
    ("واشنطن", "Washington"),
    ("باريس", "Paris"),
    ("جنيف", "Geneva"),
    ("الدوحة", "Doha"),
    ("طهران", "Tehran"),
    ("إسطنبول", "Istanbul"),
    ("بروكسل", "Brussels"),
]

# (Arabic, English, grammatical gender of the Arabic noun)
ACTORS = [
    ("الحكومة السورية", "the Syrian government", "f"),
    ("وزارة الخارجية", "the foreign ministry", "f"),
    ("وزير الاقتصاد", "the economy minister", "m"),
    ("المصرف المركزي", "the central bank", "m"),
    ("الأمم المتحدة", "the United Nations", "f"),
    ("الاتحاد الأوروبي", "the European Union", "m"),
    ("الكرملين", "the Kremlin", "m"),
    ("البيت الأبيض", "the White House", "m"),
    ("منظمة الصحة العالمية", "the World Health Organization", "f"),
    ("البنك الدولي", "the World Bank", "m"),
    ("الهلال الأحمر", "the Red Crescent", "m"),
    ("إدارة العمليات العسكرية", "the military operations command", "f"),
    ("وزارة الثقافة", "the culture ministry", "f"),
    ("اتحاد كرة القدم", "the football federation", "m"),
    ("نقابة المهندسين", "the engineers' union", "f"),
    ("محافظ دمشق", "the governor of Damascus", "m"),
]

TOPICS = {
    "syria": [
        ("إعادة الإعمار", "reconstruction"),
        ("عودة اللاجئين", "the return of refugees"),
        ("الانسحاب الروسي", "the Russian withdrawal"),
        ("القوات الأجنبية", "foreign forces"),
        ("القاعدة العسكرية في حميميم", "the Hmeimim air base"),
        ("ملف المعتقلين", "the detainees file"),
        ("الدستور الجديد", "the new constitution"),
        ("الإدارة المؤقتة", "the interim administration"),
    ],
    "politics": [
        ("الانتخابات البرلمانية", "the parliamentary elections"),
        ("المفاوضات", "the negotiations"),
        ("العقوبات الاقتصادية", "economic sanctions"),
        ("وقف إطلاق النار", "the ceasefire"),
        ("العلاقات الدبلوماسية", "diplomatic relations"),
        ("الحوار الوطني", "the national dialogue"),
    ],
    "economy": [
        ("سعر صرف الليرة", "the lira exchange rate"),
        ("التضخم", "inflation"),
        ("الاستثمارات الخليجية", "Gulf investment"),
        ("الموازنة العامة", "the state budget"),
        ("محصول القمح", "the wheat harvest"),
        ("إنتاج النفط", "oil production"),
        ("الكهرباء", "electricity supply"),
        ("الصادرات الزراعية", "farm exports"),
    ],
    "world": [
        ("القمة العربية", "the Arab summit"),
        ("أزمة المناخ", "the climate crisis"),
        ("الزلزال", "the earthquake"),
        ("الفيضانات", "the floods"),
        ("أسعار الغذاء", "food prices"),
        ("الهجرة", "migration"),
    ],
    "culture": [
        ("معرض الكتاب", "the book fair"),
        ("مهرجان السينما", "the film festival"),
        ("المتحف الوطني", "the national museum"),
        ("الرواية العربية", "the Arabic novel"),
        ("التراث", "heritage"),
        ("المسرح", "theatre"),
    ],
    "sports": [
        ("المنتخب الوطني", "the national team"),
        ("الدوري الممتاز", "the premier league"),
        ("كأس آسيا", "the Asian Cup"),
        ("الألعاب الأولمبية", "the Olympic Games"),
        ("المباراة النهائية", "the final"),
    ],
}

# (masculine, feminine) present-tense verbs for headlines; a trailing "ب" joins the next word.
HEADLINE_VERBS = [
    ("يبحث", "تبحث"),
    ("يعلن خطة جديدة بشأن", "تعلن خطة جديدة بشأن"),
    ("يحذّر من تداعيات", "تحذّر من تداعيات"),
    ("يرحّب ب", "ترحّب ب"),
    ("ينفي تقارير عن", "تنفي تقارير عن"),
    ("يناقش", "تناقش"),
]
PAST_VERBS = [("أكد", "أكدت"), ("أعلن", "أعلنت"), ("كشف", "كشفت"), ("أوضح", "أوضحت"), ("نفى", "نفت")]
SOURCES_SAID = [
    "مصادر مطّلعة",
    "مسؤولون سوريون",
    "أربعة مسؤولين",
    "دبلوماسي غربي",
    "مراسل الوكالة",
    "شهود عيان",
]
DAYS = ["يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت", "يوم الأحد"]
SENTENCES = [
    "{past} {actor} في بيان صدر {day} أن {topic} سيكون على رأس جدول الأعمال خلال الأسابيع المقبلة.",
    "وقالت {source} لوكالة تليسكوب إن المحادثات بشأن {topic} في {place} ما زالت مستمرة، مؤكدةً أن النتائج ستُعلن قريبًا.",
    "وبحسب أرقام رسمية، بلغ عدد المستفيدين {number} شخص في {place} وحدها.",
    "ويأتي ذلك بعد أيام من اجتماع عقده مسؤولون في {place} لمناقشة {topic} والتحديات التي تواجهه.",
    "وأشار مراقبون إلى أن الخطوة تمثّل تحوّلًا لافتًا في الموقف من {topic}، في ظل ضغوط داخلية وخارجية متزايدة.",
    "من جهتها، دعت {actor} إلى الإسراع في معالجة ملف {topic} بالتنسيق مع الجهات المعنية في {place}.",
    "وفي {place}، تجمّع عشرات المواطنين {day} للمطالبة بحلول عاجلة، فيما انتشرت قوات الأمن في الشوارع الرئيسية.",
    "وتوقّع خبراء أن تنعكس هذه التطورات على الأسواق خلال الربع المقبل، مع ارتفاع الأسعار بنسبة {percent} بالمئة.",
    "وأضاف المصدر أن الوفد سيتوجه إلى {place} الأسبوع المقبل لاستكمال المباحثات حول {topic}.",
]
SUBHEADINGS = ["ردود فعل", "خلفية", "ماذا بعد؟", "أرقام ودلالات", "تحركات دبلوماسية", "مواقف متباينة"]

EN_SENTENCES = [
    "{actor} said on {day_en} that {topic} would top the agenda in the coming weeks.",
    "Talks on {topic} in {place} are continuing, sources told Telescope News Agency.",
    "Official figures put the number of people affected in {place} at {number}.",
    "Observers said the move marked a notable shift on {topic} amid growing pressure at home and abroad.",
]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

AUTHORS = [
    ("سارة الحلبي", "Sara al-Halabi"),
    ("عمر الخطيب", "Omar al-Khatib"),
    ("رامي يوسف", "Rami Youssef"),
    ("هبة الأحمد", "Hiba al-Ahmad"),
    ("يوسف العلي", "Youssef al-Ali"),
    ("لينا درويش", "Lina Darwish"),
    ("باسل حداد", "Basel Haddad"),
    ("نور الشامي", "Nour al-Shami"),
    ("خالد الحمصي", "Khaled al-Homsi"),
    ("ريم عيسى", "Reem Issa"),
    ("مازن قباني", "Mazen Qabbani"),
    ("دانة السيد", "Dana al-Sayed"),
]


class StoryWriter:
    """Composes one story's fields from a seeded random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _fill(self, template: str, section: str, **extra) -> str:
        rng = self.rng
        actor, _, gender = rng.choice(ACTORS)
        return template.format(
            past=rng.choice(PAST_VERBS)[gender == "f"],
            actor=actor,
            topic=rng.choice(TOPICS[section])[0],
            place=rng.choice(PLACES)[0],
            source=rng.choice(SOURCES_SAID),
            day=rng.choice(DAYS),
            number=localize_digits(f"{rng.randint(2, 90) * 1000}", "ar" if rng.random() < 0.5 else "en"),
            percent=localize_digits(str(rng.randint(3, 40)), "ar" if rng.random() < 0.5 else "en"),
            **extra,
        )

    def story(self, section: str) -> tuple[dict, list[str]]:
        """The story's fields and the names of its tags (its place, its topic, sometimes its actor)."""
        rng = self.rng
        place, place_en = rng.choice(PLACES)
        actor, actor_en, gender = rng.choice(ACTORS)
        topic, topic_en = rng.choice(TOPICS[section])
        verb = rng.choice(HEADLINE_VERBS)[gender == "f"]
        joiner = "" if verb.endswith("ب") else " "
        headline = f"{place}: {actor} {verb}{joiner}{topic}"
        lead = (
            f"{rng.choice(PAST_VERBS)[gender == 'f']} {actor} {rng.choice(DAYS)} أن ملف {topic} في {place} "
            "يشهد تطورات جديدة، وسط ترقّب لما ستسفر عنه الاتصالات الجارية."
        )
        blocks = [f"<p>{escape(lead)}</p>"]
        for index in range(rng.randint(2, 5)):
            if index and rng.random() < 0.3:
                blocks.append(f"<h2>{rng.choice(SUBHEADINGS)}</h2>")
            sentences = [self._fill(rng.choice(SENTENCES), section) for _ in range(rng.randint(2, 3))]
            blocks.append(f"<p>{escape(' '.join(sentences))}</p>")
        fields = {
            "headline_ar": headline,
            "deck_ar": self._fill(rng.choice(SENTENCES), section),
            "summary_ar": "",
            "body_ar": "\n".join(blocks),
            "dateline_ar": place,
        }
        if rng.random() < 1 / 7:
            day = rng.choice(EN_DAYS)
            english = [
                EN_SENTENCES[i].format(
                    actor=actor_en.capitalize(), topic=topic_en, place=place_en, day_en=day, number=rng.randint(2, 90)
                )
                for i in range(len(EN_SENTENCES))
            ]
            fields.update(
                headline_en=f"{place_en}: {actor_en.capitalize()} discusses {topic_en}",
                deck_en=english[0],
                body_en="\n".join(f"<p>{escape(s)}</p>" for s in english),
                dateline_en=place_en,
            )
        tags = [place, topic] + ([actor] if rng.random() < 0.5 else [])
        return fields, tags


class Command(BaseCommand):
    help = "Add N published stories of realistic Arabic wire copy (benchmark data), with search documents."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--days", type=int, default=3 * 365, help="spread publication over this many days")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, count, seed, batch_size, days, no_progress, **options):
        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 — repeatable benchmark data, not secrets
        writer = StoryWriter(rng)
        sections = self._sections()
        authors = self._authors()
        tags = self._tags()
        credit = Source.objects.filter(kind=Source.Kind.AGENCY).first()
        now = timezone.now()
        # Slugs carry a number unique to this run, so repeated runs never collide.
        first_number = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        made = 0
        bar = tqdm(total=count, unit=" stories", disable=no_progress, file=sys.stderr)
        while made < count:
            size = min(batch_size, count - made)
            with transaction.atomic():
                stories, tag_names = [], []
                for i in range(size):
                    section = rng.choice(sections)
                    fields, names = writer.story(section.slug if section.slug in TOPICS else "world")
                    published = now - timedelta(seconds=rng.randint(60, days * 86400))
                    number = first_number + made + i
                    stories.append(
                        Article(
                            **fields,
                            headline=fields["headline_ar"],
                            slug=f"{slugify(fields['headline_ar'], 90)}-{number}",
                            section=section,
                            credit=credit,
                            status=Status.PUBLISHED,
                            publish_at=published,
                            first_published_at=published,
                            created_at=published - timedelta(minutes=rng.randint(10, 600)),
                            updated_at=published,
                            urgency=Urgency.URGENT if rng.random() < 0.02 else Urgency.NORMAL,
                        )
                    )
                    tag_names.append(names)
                created = Article.objects.bulk_create(stories)
                Byline.objects.bulk_create(
                    Byline(article=story, author=author, position=position)
                    for story in created
                    for position, author in enumerate(rng.sample(authors, rng.choice((1, 1, 1, 2))))
                )
                TaggedArticle.objects.bulk_create(
                    TaggedArticle(content_object=story, tag=tags[name])
                    for story, names in zip(created, tag_names, strict=True)
                    for name in names
                )
                search.update_documents([story.pk for story in created])
            made += size
            bar.update(size)
        bar.close()
        with connection.cursor() as cursor:
            # Fresh planner statistics, or the first searches after a bulk load ignore the GIN index.
            # Each story was written twice (its row, then its search document): without VACUUM half
            # the table is dead rows until autovacuum comes by, and a bench run straight after
            # reads twice the pages a live site would. VACUUM cannot run inside a transaction (a test).
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            cursor.execute(f"{vacuum}ANALYZE articles_article")
        elapsed = time.monotonic() - started
        self.stdout.write(f"Generated {made} published stories in {elapsed:.1f} s ({made / elapsed:.0f} stories/s).")

    def _sections(self) -> list[Section]:
        for position, (slug, name_ar, name_en) in enumerate(SECTIONS):
            Section.objects.get_or_create(
                slug=slug, defaults={"name_ar": name_ar, "name_en": name_en, "position": position}
            )
        return list(Section.objects.all())

    def _authors(self) -> list:
        user_model = get_user_model()
        for number, (name_ar, name_en) in enumerate(AUTHORS, start=1):
            user_model.objects.get_or_create(
                username=f"bench-writer-{number}",
                defaults={
                    "display_name_ar": name_ar,
                    "display_name_en": name_en,
                    "slug": f"bench-writer-{number}",
                    "is_active": False,  # bylines only: these accounts cannot log in
                },
            )
        return list(user_model.objects.filter(username__startswith="bench-writer-"))

    def _tags(self) -> dict[str, Tag]:
        names = [place for place, _ in PLACES] + [topic for topics in TOPICS.values() for topic, _ in topics]
        names += [actor for actor, _, _ in ACTORS]
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        for name in names:
            if name not in existing:
                existing[name] = Tag.objects.create(name=name)
        return existing
