"""The desk's part of `manage.py load_demo`: today's budget and one live page with entries.

Idempotent like the rest of the demo: today's budget is added once per day, the live page once.
Everything goes through the same functions the admin uses.
"""

from datetime import time

from django.utils import timezone

from articles import workflow
from articles.models import Article, Image

from . import budget, live
from .models import BudgetItem, LiveCoverage, LiveEntry

LIVE_STORY_SLUG = "وزراء-الخارجية-العرب-يجتمعون-في-عمان"

# section slug, working title, angle, assigned to the journalist, words, due
TODAY = [
    (
        "syria",
        "عودة الحركة إلى معبر نصيب الحدودي",
        "شهادات السائقين عن زمن الانتظار والرسوم الجديدة",
        True,
        600,
        time(14, 0),
    ),
    ("economy", "أسعار الخبز بعد رفع الدعم", "جولة على ثلاثة أفران في دمشق", True, 450, time(16, 30)),
    ("politics", "ماذا بعد اجتماع عمّان؟", "قراءة في خطة العودة على ثلاث مراحل", True, 800, time(12, 0)),
    ("culture", "برنامج اليوم الثالث لمعرض الكتاب", "", False, 300, time(18, 0)),
]

ENTRIES = [
    (LiveEntry.Kind.TEXT, "وصل وزراء الخارجية العرب إلى مقر الاجتماع في عمّان، ويبدأ اللقاء المغلق بعد قليل.", ""),
    (
        LiveEntry.Kind.QUOTE,
        "العودة يجب أن تكون طوعية وآمنة، وسنعمل مع الأمم المتحدة على ضمان ذلك.",
        "وزير الخارجية الأردني",
    ),
    (LiveEntry.Kind.PICTURE, "الوفود تصل إلى قاعة الاجتماع (صورة توضيحية).", ""),
]


def load(users: dict, sections: dict) -> None:
    journalist, editor = users["Journalists"], users["Editors"]
    today = timezone.localdate()
    if not BudgetItem.objects.filter(day=today).exists():
        for slug, title, angle, assigned, words, due in TODAY:
            item = BudgetItem(
                day=today,
                section=sections[slug],
                working_title=title,
                angle=angle,
                assignee=journalist if assigned else None,
                expected_words=words,
                due_time=due,
            )
            budget.save_item(item, editor)
        # One item already written and handed in, so the day shows every stage.
        filed = BudgetItem.objects.get(day=today, working_title=TODAY[2][1])
        story = budget.start_story(filed, journalist)
        story.body_ar = "<p>يناقش وزراء الخارجية العرب خطة من ثلاث مراحل لعودة اللاجئين.</p>"
        story.save(update_fields=["body_ar"])
        workflow.transition(story, "submit", journalist)
    article = Article.objects.filter(slug=LIVE_STORY_SLUG).first()
    if article is not None and not LiveCoverage.objects.filter(article=article).exists():
        live.start(article, editor)
        picture = Image.objects.order_by("id").first()
        for kind, text, quote_by in ENTRIES:
            if kind == LiveEntry.Kind.PICTURE and picture is None:
                continue
            live.add_entry(
                article,
                editor,
                kind=kind,
                text=text,
                quote_by=quote_by,
                image=picture if kind == LiveEntry.Kind.PICTURE else None,
            )
