"""The newsroom's admin site: Django's, with the two-step sign-in and the second factor enforced.

Installed as the default site (`accounts.apps.NewsroomAdminConfig`), so `admin.site` and every
`@admin.register` in the project use it.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from . import login, second_factor


class NewsroomAdminSite(admin.AdminSite):
    def has_permission(self, request):
        # A session that still owes its second factor reaches no admin page, whatever its rights.
        return super().has_permission(request) and second_factor.satisfied(request)

    @method_decorator(sensitive_post_parameters())
    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        return login.login(request, self)

    def get_app_list(self, request, app_label=None):
        # The audit trail is a page, not a model admin (nothing in it may be added, changed or
        # deleted); list it with the apps for those who may read it.
        apps = super().get_app_list(request, app_label)
        if app_label in (None, "audit") and request.user.has_perm("audit.view_entry"):
            url = reverse("audit:trail")
            page = {"name": _("Audit trail"), "object_name": "Entry", "admin_url": url, "view_only": True}
            apps.append({"name": _("Audit trail"), "app_label": "audit", "app_url": url, "models": [page]})
        return apps
