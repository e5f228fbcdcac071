"""What the admin's History pages say about a change, in the reader's language.

Django stores the labels of the changed fields in English when a change is saved and translates
them when the page is shown. The labels it stores are the form's: capitalised copies of the
models' names ("Publish at") that no catalogue holds, and bare field names for the form's own
controls ("workflow_move"), so the Arabic History page showed both in English. Here the stored
labels are the models' own names, which the catalogue translates; the form's controls are left
out; a field of the English translation is named as such ("headline (English)").
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

# The English copy of each translated field, by the field's own name (tests check that every
# translated field of every model is here).
ENGLISH_LABELS = {
    "headline": _("headline (English)"),
    "deck": _("deck (English)"),
    "summary": _("summary (English)"),
    "body": _("body (English)"),
    "dateline": _("dateline (English)"),
    "name": _("name (English)"),
    "description": _("description (English)"),
    "public description": _("public description (English)"),
    "described in the story as": _("described in the story as (English)"),
    "alternative text": _("alternative text (English)"),
    "caption": _("caption (English)"),
    "correction": _("correction (English)"),
    "display name": _("display name (English)"),
    "short biography": _("short biography (English)"),
}


def stored_label(form, name: str) -> str | None:
    """The untranslated catalogue entry naming a changed field, or None to leave it out.

    Call with translations deactivated, so lazy names give their catalogue keys.
    """
    try:
        field = form._meta.model._meta.get_field(name)
    except FieldDoesNotExist:
        # A field of the form only: its own label when it has one, else it is a control.
        label = form.fields[name].label if name in form.fields else None
        return str(label) if label else None
    original = getattr(field, "translated_field", None)  # modeltranslation's per-language copy
    if original is None:
        return str(field.verbose_name)
    name = str(original.verbose_name)
    return str(ENGLISH_LABELS.get(name, name)) if field.language == "en" else name


def _labels(form, names) -> list[str]:
    return [label for name in names if (label := stored_label(form, name))]


def translatable_change_message(form, formsets, add: bool, ignored=frozenset()) -> list[dict]:
    """Django's change message (admin.utils.construct_change_message), with labels that translate."""
    # Read before translations are off: localized values (dates) compare in the active language.
    changed = [name for name in form.changed_data if name not in ignored]
    message = []
    with override(None):
        if add:
            message.append({"added": {}})
        elif labels := _labels(form, changed):
            message.append({"changed": {"fields": labels}})
        for formset in formsets or []:
            for added in formset.new_objects:
                message.append({"added": {"name": str(added._meta.verbose_name), "object": str(added)}})
            for obj, fields in formset.changed_objects:
                labels = _labels(formset.forms[0], fields)
                message.append({"changed": {"name": str(obj._meta.verbose_name), "object": str(obj), "fields": labels}})
            for deleted in formset.deleted_objects:
                message.append({"deleted": {"name": str(deleted._meta.verbose_name), "object": str(deleted)}})
    return message


class ArabicHistoryMixin:
    """For the newsroom's ModelAdmins: History pages that read in the person's language."""

    # Form controls that are not the object's data (workflow buttons, the loaded version…).
    history_ignores: frozenset[str] = frozenset()

    def construct_change_message(self, request, form, formsets, add=False):
        return translatable_change_message(form, formsets, add, self.history_ignores)
