"""The story admin. It never writes state by itself: saves go through `revisions`, moves through
`workflow.transition()`. What a person may do comes from `permissions`."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .. import permissions, preview, revisions, search, slugs
from ..forms import ArticleAdminForm
from ..models import Article, Attribution, Byline, Correction, Status, Transition
from ..workflow import MOVES
from . import history, moves
from .queues import QueueFilter

STATUS_CSS = {
    Status.DRAFT: "draft",
    Status.SUBMITTED: "submitted",
    Status.APPROVED: "approved",
    Status.PUBLISHED: "published",
    Status.UNPUBLISHED: "unpublished",
    Status.KILLED: "killed",
}


def status_badge(article: Article) -> str:
    label, css = article.get_status_display(), STATUS_CSS.get(article.status, "draft")
    now = timezone.now()
    if article.status == Status.PUBLISHED and article.publish_at and article.publish_at > now:
        label, css = _("Scheduled"), "scheduled"
    elif article.status == Status.PUBLISHED and article.embargo_until and article.embargo_until > now:
        label, css = _("Under embargo"), "embargoed"
    return format_html('<span class="status-badge status-{}">{}</span>', css, label)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in order)")


class ProtectedSourceWidget(forms.Widget):
    """Shows that a source is protected without putting its id, or anything else about it, in the page."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<span class="protected-source">{}</span>', _("Protected source"))

    def value_from_datadict(self, data, files, name):
        return None


class AttributionForm(forms.ModelForm):
    """Hides which source stands behind an anonymous attribution from anyone without the right."""

    class Meta:
        model = Attribution
        fields = ["source", "description_ar", "description_en", "is_anonymous", "position"]

    can_see_identity = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.can_see_identity and self.instance.pk and self.instance.is_anonymous:
            # Disabled fields keep their stored value whatever is posted.
            self.fields["source"].disabled = True
            self.fields["source"].widget = ProtectedSourceWidget()
            self.fields["source"].help_text = _("Only chief editors can see this source.")
            self.fields["is_anonymous"].disabled = True


class AttributionInline(TranslationTabularInline):
    model = Attribution
    form = AttributionForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "description_ar", "description_en", "is_anonymous", "position"]
    verbose_name = _("source cited")
    verbose_name_plural = _("sources cited in the story")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(
            "AttributionFormForUser",
            (formset.form,),
            {"can_see_identity": request.user.has_perm("articles.view_source_identity")},
        )
        return formset


class CorrectionInline(TranslationStackedInline):
    model = Correction
    extra = 0
    fields = ["text_ar", "text_en", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name_plural = _("corrections (shown on the story page with their date)")

    def has_add_permission(self, request, obj=None):
        # A correction corrects something readers saw.
        return super().has_add_permission(request, obj) and obj is not None and obj.first_published_at is not None


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    inlines = [BylineInline, AttributionInline, CorrectionInline]
    list_display = [
        "headline",
        "status_column",
        "section",
        "byline_column",
        "publish_at_column",
        "updated_at_column",
        "urgency",
    ]
    list_display_links = ["headline"]
    list_filter = [
        QueueFilter,
        "status",
        "section",
        "urgency",
        "is_featured",
        ("bylines__author", admin.RelatedOnlyFieldListFilter),
        "publish_at",
        "updated_at",
    ]
    list_select_related = ["section"]
    list_per_page = 50
    search_fields = ["headline_ar", "headline_en", "slug"]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["credit", "lead_image"]
    readonly_fields = [
        "status_column",
        "first_published_at",
        "updated_at",
        "version",
        "wire_version",
        "issued_at",
        "update_note",
        "created_by",
    ]
    actions = moves.ACTIONS
    fieldsets = [
        (
            _("The story in Arabic"),
            {"fields": ["headline_ar", "deck_ar", "dateline_ar", "body_ar", "summary_ar", "loaded_version"]},
        ),
        (
            _("English translation (optional)"),
            {
                "fields": ["headline_en", "deck_en", "dateline_en", "body_en", "summary_en"],
                "classes": ["collapse"],
                "description": _(
                    "Fill these in only when the story has an English version. It appears in the "
                    "English edition once it has an English headline and body."
                ),
            },
        ),
        (
            _("Placement"),
            {"fields": ["section", "credit", "existing_tags", "new_tags", "lead_image", "urgency", "is_featured"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status_column",
                    "publish_at",
                    "embargo_until",
                    "slug",
                    "first_published_at",
                    "updated_at",
                    "version",
                    "wire_version",
                    "issued_at",
                    "update_note",
                    "created_by",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom.css"]}

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return status_badge(obj) if obj.pk else "—"

    @admin.display(description=_("publish at"), ordering="publish_at")
    def publish_at_column(self, obj):
        return date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT") if obj.publish_at else "—"

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_at_column(self, obj):
        return date_format(timezone.localtime(obj.updated_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("authors"))
    def byline_column(self, obj):
        return format_html_join("، ", "{}", ((str(b.author),) for b in obj.bylines.all())) or "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("section", "created_by")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/move/", wrap(moves.move_view(self)), name="articles_article_move"),
            path("<int:object_id>/revisions/", wrap(history.revisions_view(self)), name="articles_article_revisions"),
            path(
                "<int:object_id>/revisions/<int:number>/restore/",
                wrap(history.restore_view(self)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        """The site's search engine over every state; get_ordering puts the best match first.

        A term with nothing searchable in it (punctuation, say) falls back to the plain text match
        over search_fields.
        """
        if search.search_query(search_term) is None:
            return super().get_search_results(request, queryset, search_term)
        return search.with_search(queryset, search_term), False

    def get_ordering(self, request):
        # The change list re-orders whatever get_search_results returns: rank first while a
        # search is shown (a column the user sorts by still wins).
        rank = search.relevance(request.GET.get("q", ""))
        return [rank.desc(), "-id"] if rank is not None else super().get_ordering(request)

    # Forms and permissions -------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        admin_site, user = self.admin_site, request.user

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=admin_site, user=user, **kw)
                if self.instance.pk is None:
                    self.instance.created_by = user
                if "slug" in self.fields:
                    self.fields["slug"].required = False

        return BoundForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.first_published_at is not None:
            fields.append("slug")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("articles.add_article") or request.user.has_perm("articles.change_article")
        return permissions.can_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self.has_change_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name, rule in MOVES.items():
            if not request.user.has_perm(rule.permission):
                actions.pop(moves.action_name(name), None)
        return actions

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            moves.refuse_forbidden_action(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and (move := request.POST.get("workflow_move")):
            # A move the person has no right to make is refused outright, whatever else was posted.
            obj = self.get_object(request, object_id) if object_id else Article(created_by=request.user)
            if move not in MOVES or (obj is not None and not permissions.permitted(request.user, move, obj)):
                raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(created_by=request.user)
        form = context["adminform"].form
        context.update(
            {
                "workflow_moves": [MOVES[name] for name in permissions.allowed_moves(request.user, article)],
                "workflow_form": form,
                "can_edit_story": permissions.can_edit(request.user, article),
                "status_badge": status_badge(article) if obj else "",
                "transitions": (
                    Transition.objects.filter(article=obj).select_related("by").order_by("-created_at", "-id")
                    if obj
                    else []
                ),
                "conflict_changes": form.conflict.changes_meanwhile(request.user) if form.conflict else [],
                "preview_url": preview.preview_url(obj) if obj else "",
                "preview_hours": preview.MAX_AGE_HOURS,
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving ----------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # The row is locked and its version checked in form.clean() (revisions.lock_for_save).
        if not change:
            obj.created_by = request.user
        slugs.refresh_article_slug(obj)
        obj.updated_at = timezone.now()
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance.pk is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("workflow_move"):
            return self._back_to_story(obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("workflow_move"):
            return self._back_to_story(obj)
        return super().response_change(request, obj)

    def _back_to_story(self, obj):
        # After a move the person sees the story's new state and its history.
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.tags.set(form.tag_names())
        if not change and not article.bylines.exists():
            Byline.objects.create(article=article, author=request.user, position=0)
        revisions.record_save(article, request.user, note=str(_("Edited") if change else _("Created")))
        if move := form.cleaned_data.get("workflow_move"):
            moves.make_move(request, article, move, form.cleaned_data.get("workflow_comment", ""))
