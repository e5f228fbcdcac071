"""The newswire in the admin: subscribers with their keys, products, and the delivery log.

Chief editors manage them (permissions from `migrations/0002`). A new key is shown once, on the
page that answers its creation, and never again; revoking is an action. Dead letters are found
in the delivery log and sent again with an action.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import keys, push
from .models import ApiKey, Delivery, Product, Subscriber


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("API keys (make one under “API keys”; it is shown once)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    # An address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})},
    }
    list_display = ["name", "is_active", "product_list", "webhook_url", "key_count", "dead_letters"]
    list_filter = ["is_active", "products"]
    search_fields = ["name", "contact"]
    autocomplete_fields = ["products"]
    fields = ["name", "contact", "is_active", "products", "webhook_url", "secret", "log_link"]
    readonly_fields = ["secret", "log_link"]
    inlines = [ApiKeyInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("products")
            .annotate(
                key_count=Count("keys", filter=Q(keys__revoked_at__isnull=True), distinct=True),
                dead_count=Count("deliveries", filter=Q(deliveries__state=Delivery.State.DEAD), distinct=True),
            )
        )

    @admin.display(description=_("products"))
    def product_list(self, obj):
        return "، ".join(product.name for product in obj.products.all()) or "—"

    @admin.display(description=_("active keys"), ordering="key_count")
    def key_count(self, obj):
        return obj.key_count

    @admin.display(description=_("dead letters"), ordering="dead_count")
    def dead_letters(self, obj):
        if not obj.dead_count:
            return 0
        url = reverse("admin:newswire_delivery_changelist") + f"?subscriber__id__exact={obj.pk}&state__exact=dead"
        return format_html('<a href="{}">{}</a>', url, obj.dead_count)

    @admin.display(description=_("webhook signing secret"))
    def secret(self, obj):
        if not obj.pk:
            return _("Made when the subscriber is saved.")
        return format_html(
            '<code dir="ltr" lang="zxx" translate="no">{}</code><div class="help">{}</div>',
            obj.webhook_secret,
            _("Give it to the outlet: it checks each push's signature with it (see the README)."),
        )

    @admin.display(description=_("delivery log"))
    def log_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:newswire_delivery_changelist") + f"?subscriber__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("What was sent to this subscriber"))

    def save_model(self, request, obj, form, change):
        if not obj.webhook_secret:
            obj.webhook_secret = keys.new_webhook_secret()
        super().save_model(request, obj, form, change)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "languages", "min_urgency", "section_list", "tag_list"]
    search_fields = ["name"]
    autocomplete_fields = ["sections", "tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sections", "tags")

    @admin.display(description=_("sections"))
    def section_list(self, obj):
        return "، ".join(section.name for section in obj.sections.all()) or "—"

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        return "، ".join(tag.name for tag in obj.tags.all()) or "—"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "subscriber", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["subscriber", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "subscriber__name"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["subscriber", "name"]
        return ["subscriber", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["subscriber", "prefix", "created_at", "last_used_at", "revoked_at"]

    def add_view(self, request, form_url="", extra_context=None):
        # The key exists only in this request: it is shown on the page that answers the form.
        response = super().add_view(request, form_url, extra_context)
        made = getattr(request, "_made_key", None)
        if made is None:
            return response
        row, key = made
        context = {
            **self.admin_site.each_context(request),
            "title": _("New API key"),
            "opts": self.model._meta,
            "key_row": row,
            "key": key,
        }
        response = TemplateResponse(request, "admin/newswire/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        row, key = keys.make_key(obj.subscriber, obj.name, by=request.user)
        obj.pk, obj.prefix, obj.digest, obj.created_at = row.pk, row.prefix, row.digest, row.created_at
        request._made_key = (row, key)

    def response_add(self, request, obj, post_url_continue=None):
        return None  # add_view shows the key instead

    @admin.action(description=_("Revoke the selected keys (they stop working at once)"), permissions=["change"])
    def revoke(self, request, queryset):
        for key in queryset:
            keys.revoke(key, by=request.user)
        messages.success(
            request,
            ngettext("%(n)d key revoked.", "%(n)d keys revoked.", queryset.count()) % {"n": queryset.count()},
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subscriber", "story", "version", "event", "state", "attempts", "last_status"]
    list_filter = ["state", "event", "subscriber"]
    list_select_related = ["subscriber", "item", "item__article"]
    search_fields = ["item__article__headline_ar", "subscriber__name"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "subscriber",
        "story",
        "version",
        "event",
        "state",
        "attempts",
        "last_status",
        "last_error",
        "created_at",
        "attempted_at",
        "delivered_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("story"))
    def story(self, obj):
        return obj.item.article.headline_ar

    @admin.display(description=_("version"))
    def version(self, obj):
        return f"{obj.item.version} ({obj.item.language})"

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        chosen = list(queryset.exclude(state=Delivery.State.DELIVERED))
        for delivery in chosen:
            push.send_again(delivery)
        messages.success(
            request,
            ngettext(
                "%(n)d delivery queued to be sent again.", "%(n)d deliveries queued to be sent again.", len(chosen)
            )
            % {"n": len(chosen)},
        )
