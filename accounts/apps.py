from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff and authors")
    default = True

    def ready(self):
        from . import sessions  # noqa: F401 (notes the start of each staff session)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the newsroom's site (two-step sign-in) as `admin.site`."""

    default = False
    default_site = "accounts.site.NewsroomAdminSite"
