"""Build the POST data of an admin change form as the browser would send it, from its GET context."""

from django.forms.widgets import SplitDateTimeWidget


def _field_data(form, prefix_name, bound_field, data):
    value = bound_field.value()
    widget = bound_field.field.widget
    name = bound_field.html_name
    if bound_field.field.disabled:
        return
    if isinstance(widget, SplitDateTimeWidget) or hasattr(widget, "widgets") and len(getattr(widget, "widgets", [])) == 2:
        parts = widget.decompress(value) if value else ["", ""]
        for index, part in enumerate(parts):
            data[f"{name}_{index}"] = "" if part is None else str(part)
        return
    if isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    elif isinstance(value, bool):
        if value:
            data[name] = "on"
    elif value is None:
        data[name] = ""
    else:
        data[name] = str(value)


def change_form_data(response) -> dict:
    """The data a browser would post back unchanged from an admin change (or add) page."""
    context = response.context
    data = {}
    form = context["adminform"].form
    readonly = set(context["adminform"].readonly_fields)
    shown = {name for fieldset in context["adminform"] for line in fieldset for field in line for name in [field.field["name"] if isinstance(field.field, dict) else field.field.name]}
    for name in form.fields:
        if name in readonly or (name not in shown and name not in {"loaded_version"}):
            continue
        _field_data(form, name, form[name], data)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name, field in formset.management_form.fields.items():
            data[formset.management_form[name].html_name] = str(formset.management_form[name].value() or field.initial or 0)
        for sub in formset.forms:
            for name in sub.fields:
                _field_data(sub, name, sub[name], data)
    return data
