from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "email", "group_names", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "admin_language"]
    search_fields = ["username", "display_name_ar", "display_name_en", "first_name", "last_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Public author profile"),
            {"fields": ["display_name_ar", "display_name_en", "slug", "bio_ar", "bio_en", "photo"]},
        ),
        (_("Preferences"), {"fields": ["admin_language"]}),
    ]

    @admin.display(description=_("roles"))
    def group_names(self, obj):
        return "، ".join(group.name for group in obj.groups.all()) or "—"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Chief editors manage staff and roles (groups), not the technical superuser rights.
            fields += ["is_superuser", "user_permissions"]
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
