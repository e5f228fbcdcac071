"""Django's yes/no icons in lists and read-only fields tell screen readers "True" or "False" in
English; here they say it in the person's language."""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(value) -> str:
    words = {True: _("yes"), False: _("no"), None: _("unknown")}
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), words[value])


def install() -> None:
    # Django looks the function up in admin_list each time it draws one (helpers, utils).
    admin_list._boolean_icon = boolean_icon
