"""Everything a person reads in the Arabic admin is Arabic: labels, permissions, roles, history,
the body editor's own words."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from modeltranslation.translator import translator

from articles.admin.changelog import ENGLISH_LABELS

from .admin_forms import change_form_data
from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_field_labels_carry_no_language_code(client, editor):
    client.force_login(editor)
    for name in ("admin:articles_article_add", "admin:articles_image_add", "admin:articles_source_add"):
        html = client.get(reverse(name)).content.decode()
        assert "[ar]" not in html and "[en]" not in html, name


def test_translated_fields_are_grouped_by_language(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_source_add"))
    fieldsets = {str(title): options["fields"] for title, options in response.context["adminform"].fieldsets}
    assert fieldsets["العربية"] == ["name_ar", "description_ar"]
    assert fieldsets["بالإنجليزية (اختياري)"] == ["name_en", "description_en"]


def test_permission_names_on_the_group_page_are_arabic(client, chief):
    client.force_login(chief)
    group = Group.objects.get(name="Journalists")
    html = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    labels = [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)]
    assert len(labels) > 40
    assert [text for text in labels if re.search(r"\bCan\b", text)] == []
    assert "خبر: إضافة" in labels
    assert "يمكنه إرسال خبر للمراجعة" in labels


def test_permission_names_follow_an_english_speakers_preference(chief):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="add_article")
    with translation.override("en"):
        assert str(permission) == "story: add"


def test_roles_show_in_arabic_and_keep_their_contract_names(client, chief):
    client.force_login(chief)
    html = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for arabic in ("صحفي", "محرر", "رئيس تحرير"):
        assert arabic in html
    assert set(Group.objects.values_list("name", flat=True)) >= {"Journalists", "Editors", "Chief editors"}


def test_story_history_names_what_changed_in_arabic(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(change))
    data.pop("existing_tags")
    soon = timezone.localtime() + timedelta(days=1)
    data.update(
        {
            "publish_at_0": soon.strftime("%Y-%m-%d"),
            "publish_at_1": "10:00:00",
            "headline_en": "A new crossing opens",
            "workflow_move": "submit",
        }
    )
    assert client.post(change, data).status_code == 302
    entry = LogEntry.objects.get(object_id=str(article.pk))
    with translation.override("ar"):
        message = entry.get_change_message()
    assert "موعد النشر" in message and "العنوان (بالإنجليزية)" in message
    for english in ("workflow", "Publish at", "Headline"):
        assert english not in message
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "موعد النشر" in html and "workflow_move" not in html


def test_every_translated_field_has_an_arabic_name_for_its_english_copy():
    with translation.override("ar"):
        for model in translator.get_registered_models():
            for name in translator.get_options_for_model(model).fields:
                with translation.override(None):
                    verbose = str(model._meta.get_field(name).verbose_name)
                assert verbose in ENGLISH_LABELS, f"{model.__name__}.{name}: no label for its English copy"
                arabic = str(ENGLISH_LABELS[verbose])
                assert not re.search("[A-Za-z]", arabic), f"{verbose}: «{arabic}» is not translated"


EDITOR_WORDS = ["bold", "italic", "blockquote", "insert link", "undo", "heading 2", "Heading 2", "Paragraph"]
EDITOR_DIALOG_WORDS = ["URL", "Title", "Edit Link", "Update", "List properties"]


def test_the_body_editors_words_are_in_the_arabic_javascript_catalogue(client, journalist):
    client.force_login(journalist)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    for word in EDITOR_WORDS + EDITOR_DIALOG_WORDS:
        assert word in catalog, f"the editor's «{word}» has no Arabic"
        assert not re.search("[A-Za-z]", catalog[word]), f"«{word}» → «{catalog[word]}»"


def test_the_body_editor_leaves_spellcheck_on(client, journalist):
    client.force_login(journalist)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    config = re.search(r'name="body_ar"[^>]*data-django-prose-editor-configurable="([^"]*)"', html).group(1)
    extensions = json.loads(config.replace("&quot;", '"'))["extensions"]
    assert "NoSpellCheck" not in extensions and "Heading" in extensions
