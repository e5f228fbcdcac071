"""Forms of the newsroom admin."""

import re

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from . import editing, inputs, permissions, revisions, richtext
from .models import COMMENT_MAX_LENGTH, Article, Tag
from .workflow import MOVES

# Journalists type Arabic or Latin commas (and sometimes semicolons) between tags.
TAG_SEPARATORS = re.compile(r"[,،;؛\n]+")


def parse_tag_names(text: str) -> list[str]:
    names, seen = [], set()
    for raw in TAG_SEPARATORS.split(text or ""):
        name = " ".join(inputs.clean_text(raw).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name[:100])
    return names


def body_field(language: str, required: bool = False) -> ProseEditorFormField:
    return ProseEditorFormField(
        label=_("Body") if language == "ar" else _("Body (English)"),
        required=required,
        config={"extensions": richtext.EXTENSIONS},
        sanitize=richtext.sanitize,
        widget=AdminProseEditorWidget(attrs={"dir": "rtl" if language == "ar" else "ltr", "lang": language}),
    )


class MoveForm(forms.Form):
    """A workflow move as the buttons under a story send it (also part of the story's form)."""

    workflow_move = forms.ChoiceField(
        choices=[("", "")] + [(name, rule.label) for name, rule in MOVES.items()], required=False
    )
    workflow_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_(
            "Required when returning a story for changes, unpublishing or killing it. For an update, the note "
            "readers and subscribers see."
        ),
    )
    workflow_publish_at = forms.SplitDateTimeField(
        label=_("New publication time"),
        required=False,
        widget=AdminSplitDateTime,
        validators=[inputs.within_calendar],
        help_text=_("For “Reschedule”: when the story is to be public (Damascus time)."),
    )


class ArticleAdminForm(MoveForm, forms.ModelForm):
    existing_tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.all(), required=False)
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        help_text=_("Tags that do not exist yet, separated by commas (، or ,)."),
        widget=forms.TextInput(attrs={"dir": "auto", "size": 60}),
    )

    # The version the person loaded: a save based on an older one is refused (optimistic locking).
    # Required whenever the story exists: a save without it could overwrite someone else's.
    loaded_version = forms.IntegerField(
        label=_("version you opened"),
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "required": _(
                "This form does not say which version of the story it was opened on, so nothing was saved: it "
                "could overwrite someone else's changes. Your text is kept below; open the story again to save it."
            )
        },
    )

    conflict: revisions.EditConflict | None = None

    class Meta:
        model = Article
        fields = [
            *(
                f"{name}_{lang}"
                for name in ("headline", "deck", "dateline", "body", "summary")
                for lang in ("ar", "en")
            ),
            "section",
            "credit",
            "lead_image",
            "urgency",
            "is_featured",
            "publish_at",
            "embargo_until",
            "slug",
        ]

    def __init__(self, *args, admin_site=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .admin.validation import SafeAutocompleteSelectMultiple, preload_choices

        self.user = user
        self.fields["loaded_version"].initial = self.instance.version
        self.fields["loaded_version"].required = self.instance.pk is not None
        for name, language in (("body_ar", "ar"), ("body_en", "en")):
            if name in self.fields:
                self.fields[name] = body_field(language)
        if admin_site is not None:
            field = self.fields["existing_tags"]
            field.widget = SafeAutocompleteSelectMultiple(Article._meta.get_field("tags"), admin_site)
            field.widget.choices = field.choices
        for name, field in self.fields.items():
            if name.endswith("_en") and hasattr(field.widget, "attrs"):
                field.widget.attrs.update({"dir": "ltr", "lang": "en"})
        if self.instance.pk:
            self.initial["existing_tags"] = list(self.instance.tags.all())
            # The boxes show what the story holds without looking it up again.
            preload_choices(self.fields["existing_tags"], self.initial["existing_tags"])
            if "credit" in self.fields:
                preload_choices(self.fields["credit"], [self.instance.credit])

    def clean(self):
        cleaned = super().clean()
        move = cleaned.get("workflow_move")
        if move:
            rule = MOVES[move]
            if self.user is None or not permissions.can(self.user, move, self.instance):
                raise ValidationError(
                    _("You cannot do “%(move)s” to this story now.") % {"move": rule.label}, code="move_not_allowed"
                )
            if rule.comment_required and not (cleaned.get("workflow_comment") or "").strip():
                self.add_error("workflow_comment", _("Write a comment for “%(move)s”.") % {"move": rule.label})
            if rule.time_required and not cleaned.get("workflow_publish_at"):
                self.add_error("workflow_publish_at", _("Choose the new time for “%(move)s”.") % {"move": rule.label})
        if self.instance.pk and not self.errors:
            # Checked again by editing.save_edit() under the row lock; here so that a refusal keeps
            # everything typed and shows what changed meanwhile.
            try:
                editing.check_version(self.instance, cleaned["loaded_version"])
            except revisions.EditConflict as conflict:
                self.conflict = conflict
                # The next save, made after seeing what changed, is based on the current version.
                self.data = self.data.copy()
                self.data["loaded_version"] = conflict.current.version
                raise ValidationError(conflict.message(), code="edit_conflict") from None
            editing.check(self.instance, editing.Edit(fields=self.edit_fields()))
        return cleaned

    def edit_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in editing.EDITABLE_FIELDS}

    def tag_names(self) -> list[str]:
        # Arabic names: `set()` resolves names in Arabic whatever language the editor works in.
        names = [tag.name_ar for tag in self.cleaned_data.get("existing_tags") or []]
        known = {name.casefold() for name in names}
        names += [
            name for name in parse_tag_names(self.cleaned_data.get("new_tags", "")) if name.casefold() not in known
        ]
        return names
