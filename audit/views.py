"""The audit trail's page for chief editors (audit.view_entry): filters, pages, CSV export."""

import csv
import json

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actions import Action
from .models import Entry

PER_PAGE = 50
PERMISSION = "audit.view_entry"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name, username = str(obj), obj.get_username()
        return name if name == username else f"{name} ({username})"


class TrailFilter(forms.Form):
    person = PersonField(
        queryset=get_user_model().objects.none(), required=False, label=_("person"), empty_label=_("everyone")
    )
    action = forms.ChoiceField(required=False, label=_("action"))
    since = forms.DateField(required=False, label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))
    object = forms.CharField(required=False, max_length=200, label=_("object"), strip=True)
    object_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = get_user_model().objects.order_by("username")
        self.fields["action"].choices = [("", _("all actions")), *Action.choices]

    def clean_object(self):
        # NUL cannot be stored or searched in PostgreSQL text; it is never part of what we record.
        return self.cleaned_data["object"].replace("\x00", "")

    def filter(self, entries):
        """The entries matching every valid filter; invalid ones are shown as errors and left out."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("person"):
            entries = entries.filter(actor_id=data["person"].pk)
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        if data.get("object"):
            entries = entries.filter(object_text__icontains=data["object"])
        if data.get("object_type") and data.get("object_id"):
            entries = entries.filter(object_type=data["object_type"], object_id=data["object_id"])
        return entries


def trail(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        from accounts.admin import refuse

        return refuse(request, _("Only chief editors can read the audit trail."))
    form = TrailFilter(request.GET or None)
    entries = form.filter(Entry.objects.all()) if request.GET else Entry.objects.all()
    if request.GET.get("format") == "csv":
        return export(entries)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **admin.site.each_context(request),
        "title": _("Audit trail"),
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "csv_query": _with(query, format="csv"),
    }
    return TemplateResponse(request, "audit/trail.html", context)


def _with(query, **values) -> str:
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula is run by spreadsheets; usernames typed at the login page are
    # recorded here as they came.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


COLUMNS = [
    _("when"),
    _("person"),
    _("action code"),
    _("action"),
    _("what happened"),
    _("object type"),
    _("object id"),
    _("object"),
    _("details"),
    _("address"),
]


def export(entries) -> StreamingHttpResponse:
    """All matching entries as CSV (UTF-8 with a byte-order mark, so spreadsheets read the Arabic)."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow([str(c) for c in COLUMNS])
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                _cell(value)
                for value in [
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.actor_name,
                    entry.action,
                    entry.get_action_display(),
                    entry.text,
                    entry.object_type,
                    entry.object_id,
                    entry.object_text,
                    json.dumps(entry.details, ensure_ascii=False) if entry.details else "",
                    entry.address,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
