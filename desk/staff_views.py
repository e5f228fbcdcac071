"""The desk's admin pages that are not a model's list: the calendar, my notifications and the
live console of a story. Each checks its permission on the server and writes through `live`,
`notifications` or `budget`."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Section

from . import calendar, live, notifications, permissions
from .admin import parse_day
from .forms import LiveEntryForm
from .models import LiveCoverage, LiveEntry, Notification


def _page(request, template, title, **context):
    context = {**admin.site.each_context(request), "title": title, "is_nav_sidebar_enabled": False, **context}
    return TemplateResponse(request, template, context)


def calendar_view(request):
    """A week (Saturday to Friday) or one day of planned items, scheduled stories and embargoes."""
    if not permissions.can_see_budget(request.user):
        raise PermissionDenied
    day = parse_day(request.GET.get("day"))
    mode = "day" if request.GET.get("view") == "day" else "week"
    slug = request.GET.get("section", "")
    section = Section.objects.filter(slug=slug).first() if slug else None
    first, days = (day, 1) if mode == "day" else (calendar.week_start(day), 7)
    step = timedelta(days=days)

    def link(to, view=mode):
        return f"?day={to.isoformat()}&view={view}" + (f"&section={slug}" if slug else "")

    return _page(
        request,
        "desk/calendar.html",
        _("Calendar"),
        mode=mode,
        day=day,
        first=first,
        last=first + step - timedelta(days=1),
        today=timezone.localdate(),
        days=calendar.events(first, days, section).items(),
        sections=Section.objects.filter(parent__isnull=True),
        section=section,
        previous_url=link(first - step),
        next_url=link(first + step),
        today_url=link(timezone.localdate()),
        week_url=link(day, "week"),
        day_url=link(day, "day"),
        link=link,
    )


def notifications_view(request):
    """What is new for me; POST marks everything read."""
    if request.method == "POST":
        notifications.mark_read(request.user)
        messages.success(request, _("All notifications marked as read."))
        return redirect("desk:notifications")
    mine = list(
        Notification.objects.filter(recipient=request.user).select_related("actor", "article", "budget_item")[:100]
    )
    return _page(
        request,
        "desk/notifications.html",
        _("Notifications"),
        notifications=mine,
        unread=sum(1 for n in mine if n.read_at is None),
    )


def open_notification(request, pk):
    """Follow a notification to what it is about, marking it read."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(request.user, [notification.pk])
    return redirect(notifications.target_url(notification))


def live_console(request, article_id):
    """Run a story's live page: start or end it, add entries, correct or remove them."""
    if not permissions.can_run_live(request.user):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.select_related("section"), pk=article_id)
    coverage = LiveCoverage.objects.filter(article=article).first()
    form = LiveEntryForm()
    if request.method == "POST":
        action = request.POST.get("action", "add")
        try:
            if action == "start":
                live.start(article, request.user)
                messages.success(request, _("The story now runs as a live page."))
                return redirect("desk:live", article.pk)
            if action == "end":
                live.end(article, request.user)
                messages.success(request, _("Live coverage ended. The entries stay on the page."))
                return redirect("desk:live", article.pk)
            if action == "remove":
                entry = get_object_or_404(LiveEntry, pk=request.POST.get("entry"), coverage__article=article)
                live.remove_entry(entry, request.user)
                messages.success(request, _("Entry removed from the page."))
                return redirect("desk:live", article.pk)
            form = LiveEntryForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                live.add_entry(
                    article,
                    request.user,
                    kind=data["kind"],
                    text=data["text"],
                    image=data["image"],
                    quote_by=data["quote_by"],
                )
                messages.success(request, _("Entry added. Readers' pages show it at their next check."))
                return redirect("desk:live", article.pk)
        except ValidationError as error:
            form.add_error(None, error)
    entries = (
        list(coverage.entries.select_related("author", "image").order_by("-created_at", "-id")) if coverage else []
    )
    return _page(
        request,
        "desk/live_console.html",
        _("Live coverage"),
        article=article,
        coverage=coverage,
        entries=entries,
        form=form,
        media=form.media,
        is_public=Article.objects.public().filter(pk=article.pk).exists(),
        interval=live.poll_seconds(),
    )


def live_entry(request, pk):
    """Correct one entry (refused if someone changed it meanwhile)."""
    if not permissions.can_run_live(request.user):
        raise PermissionDenied
    entry = get_object_or_404(LiveEntry.objects.select_related("coverage__article"), pk=pk, removed_at__isnull=True)
    article = entry.coverage.article
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "POST":
        form = LiveEntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                live.change_entry(
                    entry,
                    request.user,
                    loaded_version=data["loaded_version"] or 0,
                    kind=data["kind"],
                    text=data["text"],
                    image=data["image"],
                    quote_by=data["quote_by"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Entry corrected."))
                return redirect(reverse("desk:live", args=[article.pk]) + f"#entry-{entry.pk}")
    else:
        form = LiveEntryForm(
            initial={
                "kind": entry.kind,
                "text": entry.text,
                "quote_by": entry.quote_by,
                "image": entry.image,
                "loaded_version": entry.version,
            }
        )
    return _page(
        request,
        "desk/live_entry.html",
        _("Correct a live entry"),
        article=article,
        entry=entry,
        form=form,
        media=form.media,
        revisions=entry.revisions.select_related("by"),
    )
