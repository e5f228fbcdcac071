"""The desk in the admin: the day's story budget (the budget items' list page) and live coverage.

The budget's list is one day, grouped by section; "Start the story", "Drop" and "Take back" post
to their own addresses. Every write goes through `budget`.
"""

from datetime import date, timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Section

from . import budget, permissions
from .forms import BudgetItemForm
from .models import BudgetItem, LiveCoverage


def parse_day(value: str | None, default: date | None = None) -> date:
    """A day from "YYYY-MM-DD"; anything else is today (in Damascus)."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return default or timezone.localdate()


def day_url(day: date, section: str = "") -> str:
    url = reverse("admin:desk_budgetitem_changelist") + f"?day={day.isoformat()}"
    return url + (f"&section={section}" if section else "")


@admin.register(BudgetItem)
class BudgetItemAdmin(admin.ModelAdmin):
    form = BudgetItemForm
    fieldsets = [
        (None, {"fields": ["day", "section", "working_title", "angle"]}),
        (gettext_lazy("Who and when"), {"fields": ["assignee", "photographer", "expected_words", "due_time"]}),
    ]

    class Media:
        css = {"all": ["admin/newsroom.css", "desk/desk.css"]}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/start/", wrap(self.start_view), name="desk_budgetitem_start"),
            path("<int:object_id>/drop/", wrap(self.drop_view), name="desk_budgetitem_drop"),
            *super().get_urls(),
        ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial["day"] = parse_day(request.GET.get("day")).isoformat()
        return initial

    def save_model(self, request, obj, form, change):
        before = BudgetItem.objects.get(pk=obj.pk) if change else None
        budget.save_item(obj, request.user, before=before)

    def _back(self, obj):
        return HttpResponseRedirect(day_url(obj.day) + f"#item-{obj.pk}")

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, _("“%(title)s” is in the budget.") % {"title": obj.working_title})
        return self._back(obj)

    def response_change(self, request, obj):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_change(request, obj)
        messages.success(request, _("“%(title)s” saved.") % {"title": obj.working_title})
        return self._back(obj)

    def response_delete(self, request, obj_display, obj_id):
        messages.success(request, _("Removed from the budget."))
        return HttpResponseRedirect(reverse("admin:desk_budgetitem_changelist"))

    def changelist_view(self, request, extra_context=None):
        """The budget of one day, by section."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        day = parse_day(request.GET.get("day"))
        slug = request.GET.get("section", "")
        section = Section.objects.filter(slug=slug).first() if slug else None
        groups = budget.day_budget(day, section)
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Story budget"),
            "is_nav_sidebar_enabled": False,
            "day": day,
            "today": today,
            "groups": groups,
            "planned": sum(group.planned for group in groups),
            "filed": sum(group.filed for group in groups),
            "sections": Section.objects.filter(parent__isnull=True),
            "section": section,
            "can_plan": permissions.can_plan(request.user),
            "user_can_start": {
                item.pk for group in groups for item in group.items if permissions.can_start_story(request.user, item)
            },
            "previous_url": day_url(day - timedelta(days=1), slug),
            "next_url": day_url(day + timedelta(days=1), slug),
            "today_url": day_url(today, slug),
            "tomorrow_url": day_url(today + timedelta(days=1), slug),
            "add_url": reverse("admin:desk_budgetitem_add") + f"?day={day.isoformat()}",
            "calendar_url": reverse("desk:calendar") + f"?day={day.isoformat()}",
            **(extra_context or {}),
        }
        return TemplateResponse(request, "desk/budget.html", context)

    def start_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(BudgetItem, pk=object_id)
        try:
            article = budget.start_story(item, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._back(item)
        messages.success(request, _("The story is started: write it here."))
        return redirect("admin:articles_article_change", article.pk)

    def drop_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(BudgetItem, pk=object_id)
        dropped = request.POST.get("dropped", "1") == "1"
        budget.set_dropped(item, request.user, dropped)
        messages.success(request, _("Dropped from the day's plan.") if dropped else _("Back in the day's plan."))
        return self._back(item)


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    """The list of live pages; each opens its console."""

    list_display = ["article", "state", "started_at", "ended_at"]
    list_select_related = ["article"]
    list_display_links = None

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        from django.utils.html import format_html

        label = _("Live") if obj.is_live else _("Ended")
        return format_html('<a href="{}">{}</a>', reverse("desk:live", args=[obj.article_id]), label)

    def has_module_permission(self, request):
        return permissions.can_run_live(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_run_live(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
