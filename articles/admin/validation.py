"""Input at the admin's edges: list filters, search boxes, autocomplete and plain-text fields.

Django's change list passes filter values to the database as they come, so a value the database
cannot take (a NUL character, a year past 9999, a date that does not exist) surfaces as a server
error. Here every value is checked first: one that does not fit its field sends the person back to
the unfiltered list with a message, as Django does for an unknown filter. Search terms lose what
no text contains; text fields readers see go through `inputs.PlainTextField`; dates must fall in
the newsroom's calendar.
"""

from datetime import date

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .. import inputs

MAX_SEARCH_LENGTH = 200
# Date lookups whose value is a whole date or time (the list's date filters send these).
_DATE_COMPARISONS = {"exact", "gt", "gte", "lt", "lte"}
_DATE_PARTS = {"year", "month", "day", "week", "week_day", "iso_year", "quarter"}


def clean_search_term(term: str) -> str:
    """A search box's text as a search can use it: no control characters, bounded."""
    return inputs.clean_text(term)[:MAX_SEARCH_LENGTH]


def _field_and_lookup(model, key: str) -> tuple[models.Field | None, str]:
    parts = key.split("__")
    for cut in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, "__".join(parts[:cut]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        return field, "__".join(parts[cut:]) or "exact"
    return None, ""


def check_lookup_value(model, key: str, value: str) -> None:
    """Raise `ValidationError` for a filter value its field cannot hold."""
    if inputs.has_control_characters(value):
        raise ValidationError(_("Filters cannot contain control characters."), code="control_characters")
    field, lookup = _field_and_lookup(model, key)
    if not isinstance(field, models.DateField):  # DateTimeField is a DateField
        return
    if lookup in _DATE_COMPARISONS:
        parsed = field.formfield().to_python(value) if value else None
        inputs.within_calendar(parsed)
    elif lookup in _DATE_PARTS:
        try:
            number = int(value)
        except ValueError:
            raise ValidationError(_("That is not a number."), code="invalid") from None
        if lookup in {"year", "iso_year"}:
            inputs.check_year(number)
        elif not 0 <= number <= 53:
            raise ValidationError(_("That is not a number."), code="invalid")


class ValidatedChangeList(ChangeList):
    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        try:
            for key, values in lookup_params.items():
                for value in values:
                    check_lookup_value(self.model, key, value)
            self._check_date_hierarchy(lookup_params)
        except (ValidationError, ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return lookup_params

    def _check_date_hierarchy(self, params) -> None:
        # Django builds the bounds of a date-hierarchy step itself and overflows on huge years.
        if not self.date_hierarchy or f"{self.date_hierarchy}__year" not in params:
            return
        step = {part: params.get(f"{self.date_hierarchy}__{part}", ["1"])[-1] for part in ("year", "month", "day")}
        inputs.within_calendar(date(int(step["year"]), int(step["month"]), int(step["day"])))


class ValidatedInputMixin:
    """For every newsroom ModelAdmin and inline: validated filters and search, plain text, dates."""

    def get_changelist(self, request, **kwargs):
        return ValidatedChangeList

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and ERROR_FLAG in request.GET and len(request.GET) == 1:
            messages.warning(request, _("That filter could not be applied, so the whole list is shown."))
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, clean_search_term(search_term))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if _is_plain_text(db_field):
            kwargs.setdefault("form_class", inputs.PlainTextField)
            kwargs.setdefault("multiline", isinstance(db_field, models.TextField))
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateField) and field is not None:
            field.validators.append(inputs.within_calendar)
        return field


def _is_plain_text(db_field) -> bool:
    # Slugs, addresses and e-mails are CharFields with rules of their own; rich text has its own field.
    special = (models.SlugField, models.URLField, models.EmailField, models.FilePathField)
    return (
        isinstance(db_field, models.CharField | models.TextField)
        and not isinstance(db_field, special)
        and not db_field.choices
    )


class CleanAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (every model's) with its search term cleaned like a search box's."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        return clean_search_term(term), model_admin, source_field, to_field_name


class SafeAutocompleteMixin:
    """An autocomplete that renders a posted value only when it can be a key of its model.

    Django's widget looks up whatever was posted back, so a form refused for another reason
    crashed on re-display when that value was not a number (a NUL character, say).

    It also takes the chosen objects from `preloaded` when the form already holds them (a byline's
    author, read with the byline), where Django's widget asks the database again: one query per
    box, so per byline or source of a story.
    """

    preloaded: list = []

    def optgroups(self, name, value, attr=None):
        key = self.field.remote_field.model._meta.pk
        valid = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            if not inputs.has_control_characters(str(item)):
                valid.append(item)
        chosen = self._preloaded_choices(valid)
        if chosen is None:
            return super().optgroups(name, valid, attr)
        # The options Django's optgroups() builds from its query.
        options = (
            [] if self.is_required or self.allow_multiple_selected else [self.create_option(name, "", "", False, 0)]
        )
        selected = {str(item) for item in valid}
        for option_value, label in chosen:
            options.append(self.create_option(name, option_value, label, selected, len(options)))
        return [(None, options, 0)]

    def _preloaded_choices(self, values) -> list[tuple] | None:
        """(value, label) of each chosen object when all are preloaded, else None."""
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        known = {str(getattr(obj, to_field.attname)): obj for obj in self.preloaded}
        if not known or any(str(item) not in known for item in values):
            return None
        label = self.choices.field.label_from_instance
        return [(getattr(known[str(item)], to_field.attname), label(known[str(item)])) for item in values]


def preload_choices(field, objects) -> None:
    """Give a form field's autocomplete box the objects it shows as chosen (see SafeAutocompleteMixin)."""
    widget = getattr(field.widget, "widget", field.widget)  # inside Django's add/change-links wrapper
    if isinstance(widget, SafeAutocompleteMixin):
        widget.preloaded = [obj for obj in objects if obj is not None]


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass
