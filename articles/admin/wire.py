"""The "Import wire copy" page: paste or upload agency text, adjust what the parser proposes, create a draft.

The page reads the text again on every POST, so what the journalist sees is always what the
draft is made from; the draft itself is written by `wire.create_draft()`, whole or not at all.
"""

import json
import re

from django import forms
from django.contrib import messages
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import upload_limits, wire
from ..arabic import normalize
from ..forms import parse_tag_names
from ..models import Article, Section, Source, Tag

ARABIC_TEXT = {"dir": "rtl", "lang": "ar"}


class WireTextForm(forms.Form):
    text = forms.CharField(
        label=_("Wire copy"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={**ARABIC_TEXT, "rows": 24, "class": "wire-text"}),
        help_text=_("Paste the agency text as it came: credit and dash first, one paragraph per line."),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
        help_text=_("A .txt file (UTF-8, UTF-16 or Windows-1256) or a .docx file, up to 2 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(upload_limits.file_input_attrs(wire.MAX_UPLOAD_BYTES))

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        self.encoding = ""
        if upload:
            try:
                # Refuse a huge file before reading it: its size alone is enough to answer.
                wire.check_upload_size(upload.size)
                text, self.encoding = wire.read_upload(upload.read(), upload.name)
            except wire.WireError as error:
                self.add_error("file", error.message)
                return data
        else:
            # Browsers send a textarea's lines with CRLF whatever was pasted: not the copy's doing.
            text = (data.get("text") or "").replace("\r\n", "\n")
        try:
            self.proposal = wire.parse(text)
        except wire.WireError as error:
            self.add_error("file" if upload else "text", error.message)
            return data
        data["text"] = text
        return data


class AcceptForm(forms.Form):
    headline = forms.CharField(
        label=_("Headline"), max_length=250, widget=forms.TextInput(attrs={**ARABIC_TEXT, "class": "vTextField"})
    )
    dateline = forms.CharField(
        label=_("Dateline"), max_length=120, required=False, widget=forms.TextInput(attrs=ARABIC_TEXT)
    )
    deck = forms.CharField(
        label=_("Deck"),
        max_length=600,
        required=False,
        help_text=_("The line under the headline, proposed from the lead."),
        widget=forms.Textarea(attrs={**ARABIC_TEXT, "rows": 2}),
    )
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.all(), empty_label=_("Choose…"))
    summary = forms.CharField(
        label=_("Summary"), max_length=600, required=False, widget=forms.Textarea(attrs={**ARABIC_TEXT, "rows": 3})
    )
    credit_source = forms.ModelChoiceField(
        label=_("Credit"), queryset=Source.objects.all(), required=False, empty_label=_("No existing source")
    )
    credit_new_name = forms.CharField(
        label=_("or a new source named"), max_length=200, required=False, widget=forms.TextInput(attrs=ARABIC_TEXT)
    )
    credit_new_name_en = forms.CharField(
        label=_("its English name"), max_length=200, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    credit_confirm = forms.BooleanField(
        label=_("add it to the registry now"),
        required=False,
        help_text=_("Otherwise it waits on the draft for an editor to confirm or merge."),
    )
    is_breaking = forms.BooleanField(label=_("breaking news"), required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags found in the text"),
        queryset=Tag.objects.none(),
        to_field_name="name_ar",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_tags = forms.CharField(
        label=_("Other tags"),
        required=False,
        help_text=_("Separated by commas (، or ,). Give a new tag its English name in brackets: انسحاب (Withdrawal)."),
        widget=forms.TextInput(attrs={**ARABIC_TEXT, "size": 50}),
    )

    def __init__(self, *args, proposal: wire.WireProposal, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        names = set(proposal.tags) | set(self.data.getlist("tags") if self.is_bound else [])
        self.fields["tags"].queryset = Tag.objects.filter(name_ar__in=names).order_by("name_ar")

    def story_fields(self):
        return [self[name] for name in ("headline", "deck", "dateline", "section", "summary", "is_breaking")]

    def clean(self):
        data = super().clean()
        if data.get("credit_source") and data.get("credit_new_name", "").strip():
            self.add_error("credit_new_name", _("Choose an existing source or type a new name, not both."))
        elif (
            data.get("credit_new_name", "").strip()
            and data.get("credit_confirm")
            and not _may_add_source(self.user, data["credit_new_name"])
        ):
            self.add_error("credit_confirm", _("You may not add sources: leave it for an editor to confirm."))
        existing = {tag.name_ar for tag in data.get("tags") or []}
        english = dict(_english_named(name) for name in parse_tag_names(data.get("new_tags", "")))
        new = [name for name in english if name not in existing]
        unknown = [name for name in new if not Tag.objects.filter(name_ar=name).exists()]
        if unknown and not self.user.has_perm("articles.add_tag"):
            self.add_error("new_tags", _("You may not add tags: choose existing ones."))
        data["tag_names"] = [*existing, *new]
        data["tag_names_en"] = {name: name_en for name, name_en in english.items() if name_en}
        return data

    def credit(self) -> wire.CreditProposal | None:
        data = self.cleaned_data
        source, name = data["credit_source"], data["credit_new_name"].strip()
        if source:
            return wire.CreditProposal(name=source.name_ar, source=source)
        if not name:
            return None
        return wire.CreditProposal(
            name=name, name_en=data["credit_new_name_en"].strip(), confirmed=data["credit_confirm"]
        )


# "انسحاب (Withdrawal)": a new tag and its English name, in brackets with no Arabic letter inside.
_ENGLISH_IN_BRACKETS = re.compile(r"^(?P<name>.+?)\s*\((?P<english>[^()\u0600-\u06ff]+)\)$")


def _english_named(text: str) -> tuple[str, str]:
    match = _ENGLISH_IN_BRACKETS.match(text)
    return (match["name"].strip(), match["english"].strip()) if match else (text, "")


class AttributionRowForm(forms.Form):
    description = forms.CharField(
        label=_("described in the story as"), max_length=200, widget=forms.TextInput(attrs=ARABIC_TEXT)
    )
    source = forms.ModelChoiceField(
        label=_("source"), queryset=Source.objects.all(), required=False, empty_label=_("A new source")
    )
    new_source_name = forms.CharField(
        label=_("new source named"), max_length=200, required=False, widget=forms.TextInput(attrs=ARABIC_TEXT)
    )
    new_source_name_en = forms.CharField(
        label=_("its English name"), max_length=200, required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    confirm = forms.BooleanField(label=_("add it to the registry now"), required=False)
    is_anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    # Shown beside the row so the journalist sees why it was proposed; carried along with the
    # proposal (kept on the draft while the source waits for confirmation).
    sentences = forms.CharField(required=False, widget=forms.HiddenInput)
    confidence = forms.FloatField(required=False, widget=forms.HiddenInput)
    reasons = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Source.Kind.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        name = data.get("new_source_name", "").strip()
        if data.get("source") and name:
            self.add_error("new_source_name", _("Choose an existing source or type a new name, not both."))
        elif (
            not data.get("source")
            and data.get("confirm")
            and not _may_add_source(self.user, name or data.get("description", ""))
        ):
            self.add_error("confirm", _("You may not add sources: leave it for an editor to confirm."))
        return data

    def accepted(self) -> wire.AttributionProposal:
        data = self.cleaned_data
        return wire.AttributionProposal(
            description=data["description"],
            source=data["source"],
            new_source_name=data["new_source_name"].strip(),
            new_source_name_en=data["new_source_name_en"].strip(),
            is_anonymous=data["is_anonymous"],
            confirmed=data["confirm"],
            sentences=self.sentence_list(),
            confidence=data["confidence"] if data["confidence"] is not None else 1.0,
            reasons=self.reason_list(),
            kind=data["kind"] or Source.Kind.ORGANISATION,
        )

    def sentence_list(self) -> list[str]:
        return [s for s in (self["sentences"].value() or "").split("\n") if s]

    def reason_list(self) -> list[wire.Reason]:
        """The parser's reasons, kept in a hidden field as JSON; anything else there is ignored."""
        try:
            pairs = json.loads(self["reasons"].value() or "[]")
            return [wire.Reason(code, detail) for code, detail in pairs if code in wire.Reason.LABELS]
        except (ValueError, TypeError):
            return []

    def confidence_percent(self) -> int | None:
        value = self["confidence"].value()
        try:
            return round(float(value) * 100) if value not in (None, "") else None
        except ValueError:
            return None


class BaseAttributionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("leave out")


AttributionFormSet = forms.formset_factory(AttributionRowForm, formset=BaseAttributionFormSet, extra=1, can_delete=True)


def _may_add_source(user, name: str) -> bool:
    """Naming a source that exists (in any spelling) adds nothing; a new one needs the permission."""
    if user.has_perm("articles.add_source"):
        return True
    key = normalize(name).casefold()
    return any(normalize(s.name_ar or "").casefold() == key for s in Source.objects.only("name_ar"))


def _guess_section(text: str) -> Section | None:
    """The first section (in the newsroom's order) whose name the story mentions."""
    folded = f" {normalize(text)} "
    return next((s for s in Section.objects.all() if f" {normalize(s.name_ar or '')} " in folded), None)


def _initial(proposal: wire.WireProposal) -> dict:
    credit = proposal.credit
    return {
        "headline": proposal.headline,
        "deck": proposal.deck,
        "dateline": proposal.dateline,
        "summary": proposal.summary,
        "is_breaking": proposal.is_breaking,
        "section": _guess_section(proposal.text),
        "credit_source": credit.source if credit else None,
        "credit_new_name": credit.name if credit and not credit.source else "",
        "tags": proposal.tags,
    }


def _attribution_initial(proposal: wire.WireProposal) -> list[dict]:
    return [
        {
            "description": item.description,
            "source": item.source,
            "new_source_name": item.new_source_name,
            "is_anonymous": item.is_anonymous,
            "sentences": "\n".join(item.sentences),
            "confidence": item.confidence,
            "reasons": json.dumps([[reason.code, reason.detail] for reason in item.reasons], ensure_ascii=False),
            "kind": item.kind,
            # Doubtful readings are shown, but left out unless the journalist keeps them.
            "DELETE": item.confidence < wire.PROPOSE_AT,
        }
        for item in proposal.attributions
    ]


def import_wire(request, site: AdminSite):
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    text_form = WireTextForm(post, files)
    accept_form = attributions = proposal = None
    encoding = ""
    action = post.get("action") if post else None
    if post is not None and text_form.is_valid():
        proposal, encoding = text_form.proposal, text_form.encoding
        if text_form.cleaned_data["file"]:
            # Show the file's text in the box, so the next step (and any edit) works from it.
            data = post.copy()
            data["text"] = text_form.cleaned_data["text"]
            text_form = WireTextForm(data)
            text_form.is_valid()
        form_kwargs = {"user": request.user}
        if action == "create":
            accept_form = AcceptForm(post, proposal=proposal, user=request.user)
            attributions = AttributionFormSet(post, prefix="attributions", form_kwargs=form_kwargs)
            if accept_form.is_valid() and attributions.is_valid():
                return _create(request, proposal, accept_form, attributions)
        else:
            accept_form = AcceptForm(initial=_initial(proposal), proposal=proposal, user=request.user)
            attributions = AttributionFormSet(
                initial=_attribution_initial(proposal), prefix="attributions", form_kwargs=form_kwargs
            )
    context = {
        **site.each_context(request),
        "title": _("Import wire copy"),
        "text_form": text_form,
        "accept_form": accept_form,
        "attributions": attributions,
        "proposal": proposal,
        "encoding": encoding,
        "opts": Article._meta,
    }
    return TemplateResponse(request, "admin/articles/wire_import.html", context)


def _create(request, proposal, accept_form, attributions):
    data = accept_form.cleaned_data
    accepted = proposal.accept(
        headline=data["headline"],
        deck=data["deck"],
        dateline=data["dateline"],
        summary=data["summary"],
        is_breaking=data["is_breaking"],
        credit=accept_form.credit(),
        tags=data["tag_names"],
        tag_names_en=data["tag_names_en"],
        attributions=[
            form.accepted() for form in attributions.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ],
    )
    article = wire.create_draft(accepted, by=request.user, section=data["section"])
    messages.success(
        request,
        format_html(
            gettext("The draft “{}” was created from the wire copy. Check it, then submit it for review."),
            article.headline_ar,
        ),
    )
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def install(site: AdminSite) -> None:
    """Add the page to the admin site's URLs, ahead of the story admin's own catch-all paths."""
    site_urls = site.get_urls

    def get_urls():
        view = site.admin_view(lambda request: import_wire(request, site))
        return [path("articles/article/import-wire/", view, name="articles_article_import_wire"), *site_urls()]

    site.get_urls = get_urls
