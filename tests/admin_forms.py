"""Build the POST data of an admin change form as the browser would send it, from its GET context."""

from django.forms.widgets import MultiWidget


def _field_data(bound_field, data: dict) -> None:
    if bound_field.field.disabled:
        return
    value, widget, name = bound_field.value(), bound_field.field.widget, bound_field.html_name
    if isinstance(widget, MultiWidget):
        # A bound form gives back what was posted; an unbound one the model value.
        parts = value if isinstance(value, list | tuple) else (widget.decompress(value) if value else ["", ""])
        for index, part in enumerate(parts):
            data[f"{name}_{index}"] = "" if part is None else str(part)
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
    else:
        data[name] = "" if value is None else str(value)


def _shown_fields(adminform) -> set[str]:
    names = set()
    for fieldset in adminform:
        for line in fieldset:
            for field in line:
                names.add(field.field["name"] if isinstance(field.field, dict) else field.field.name)
    return names


def change_form_data(response) -> dict:
    """The data a browser would post back unchanged from an admin change (or add) page."""
    adminform = response.context["adminform"]
    form, readonly, shown = adminform.form, set(adminform.readonly_fields), _shown_fields(adminform)
    data = {}
    for name in form.fields:
        if name not in readonly and (name in shown or name == "loaded_version"):
            _field_data(form[name], data)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name, field in management.fields.items():
            data[management[name].html_name] = str(management[name].value() or field.initial or 0)
        for sub in inline.formset.forms:
            for name in sub.fields:
                _field_data(sub[name], data)
    return data
