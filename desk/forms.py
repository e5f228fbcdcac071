"""Forms of the desk: budget items and live entries. They validate; `budget` and `live` write."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import BudgetItem, LiveEntry


def newsroom_staff():
    """People who can be given a story: active, and allowed to write one."""
    writes = Q(groups__permissions__codename="add_article", groups__permissions__content_type__app_label="articles")
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | writes, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


class BudgetItemForm(forms.ModelForm):
    class Meta:
        model = BudgetItem
        fields = [
            "day",
            "section",
            "working_title",
            "angle",
            "assignee",
            "photographer",
            "expected_words",
            "due_time",
        ]
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "working_title": forms.TextInput(attrs={"dir": "auto", "size": 60}),
            "angle": forms.Textarea(attrs={"dir": "auto", "rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("assignee", "photographer"):
            self.fields[name].queryset = newsroom_staff()
        self.fields["expected_words"].widget.attrs.update({"min": 50, "step": 50})


class LiveEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of entry"), choices=LiveEntry.Kind.choices, initial="text", widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"dir": "auto", "rows": 4, "lang": "ar"}),
        help_text=_("For a picture, its caption; for a quote, the words quoted. A blank line starts a paragraph."),
    )
    quote_by = forms.CharField(
        label=_("Quoted person"), required=False, max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    image = forms.ModelChoiceField(label=_("Picture"), queryset=None, required=False)
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from articles.models import Image

        super().__init__(*args, **kwargs)
        field = self.fields["image"]
        field.queryset = Image.objects.all()
        field.widget = AutocompleteSelect(LiveEntry._meta.get_field("image"), admin.site)
        field.widget.choices = field.choices

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("kind"), (cleaned.get("text") or "").strip()
        if kind == LiveEntry.Kind.PICTURE and not cleaned.get("image"):
            self.add_error("image", _("Choose the picture for a picture entry."))
        if kind in (LiveEntry.Kind.TEXT, LiveEntry.Kind.QUOTE) and not text:
            self.add_error("text", _("Write the entry's text."))
        return cleaned
