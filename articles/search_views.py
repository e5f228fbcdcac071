"""The reader's search page: /search/?q= and /en/search/?q=.

Whatever the query string holds, the page answers 200: invalid filters are reported in the
reader's language and ignored, the query itself is searched as far as it can be.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import inputs
from . import search as engine
from .arabic import format_datetime, localize_digits, to_latin_digits
from .models import Section

PAGE_SIZE = 20


class ReaderDateField(forms.DateField):
    """Accepts dates typed with Arabic-Indic digits too; only dates in the newsroom's calendar."""

    default_validators = [inputs.within_calendar]

    def to_python(self, value):
        return super().to_python(to_latin_digits(value) if isinstance(value, str) else value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("There is no such section; all sections were searched.")},
    )
    date_from = ReaderDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("The start date was not understood; use the form YYYY-MM-DD.")},
    )
    date_to = ReaderDateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("The end date was not understood; use the form YYYY-MM-DD.")},
    )
    order = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("relevance", _("Relevance")), ("newest", _("Newest first"))],
        required=False,
        error_messages={"invalid_choice": _("Results are sorted by relevance.")},
    )

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date; the dates were swapped."))
            data["date_from"], data["date_to"] = date_to, date_from
        return data

    def filters(self) -> dict:
        """The valid filters only: an invalid one is reported and left out, the rest still apply."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "section": data.get("section"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "order": data.get("order") or "relevance",
        }


def _suggestion_url(request, suggestion: str) -> str:
    params = request.GET.copy()
    params["q"] = suggestion
    params.pop("page", None)
    return f"{request.path}?{params.urlencode()}"


def search(request):
    language = get_language()
    form = SearchForm(request.GET or None)
    query = engine.clean_query(request.GET.get("q", ""))
    filters = form.filters() if form.is_bound else {}
    page, numbers, found = None, {}, None
    if query:
        found = engine.find(query, language, request.GET.get("page"), PAGE_SIZE, **filters)
        page = found.page
        for article in page.object_list:
            article.search_date = format_datetime(article.publish_at, language, with_time=False)
        numbers = {
            "count_display": localize_digits(page.paginator.count, language),
            "page_number_display": localize_digits(page.number, language),
            "page_total_display": localize_digits(page.paginator.num_pages, language),
        }
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "truncated": len(request.GET.get("q", "")) > engine.MAX_QUERY_LENGTH,
            "searchable": query and engine.search_query(query, language) is not None,
            "filtered": any(filters.get(name) for name in ("section", "date_from", "date_to")),
            "max_length": engine.MAX_QUERY_LENGTH,
            # «هل تقصد …؟»: the query with its slips mended, and whether what was typed found nothing.
            "suggestion": found.suggestion if found else None,
            "suggestion_url": _suggestion_url(request, found.suggestion) if found and found.suggestion else "",
            "nothing_exact": bool(found) and found.exact_count == 0,
            **numbers,
        },
    )
