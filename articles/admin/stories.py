"""The story admin. It never writes state by itself: saves and moves go through domain functions."""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .. import permissions, revisions, search, slugs
from ..forms import ArticleAdminForm
from ..models import Article, Attribution, Byline, Correction, Status

STATUS_COLOURS = {
    Status.DRAFT: "draft",
    Status.SUBMITTED: "submitted",
    Status.APPROVED: "approved",
    Status.PUBLISHED: "published",
    Status.UNPUBLISHED: "unpublished",
}


def status_badge(article: Article) -> str:
    label = article.get_status_display()
    if article.status == Status.PUBLISHED and article.publish_at and article.publish_at > timezone.now():
        label = _("Scheduled")
        css = "scheduled"
    else:
        css = STATUS_COLOURS.get(article.status, "draft")
    return format_html('<span class="status-badge status-{}">{}</span>', css, label)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in order)")


class AttributionForm(forms.ModelForm):
    """Hides which source stands behind an anonymous attribution from anyone without the right."""

    class Meta:
        model = Attribution
        fields = ["source", "description_ar", "description_en", "is_anonymous", "position"]

    can_see_identity = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.can_see_identity and self.instance.pk and self.instance.is_anonymous:
            field = self.fields["source"]
            field.disabled = True
            field.widget = forms.HiddenInput()
            field.help_text = _("Protected: only chief editors can see this source.")
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
    fields = ["text_ar", "text_en", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, AttributionInline, CorrectionInline]
    list_display = ["headline", "status_column", "section", "byline_column", "publish_at", "updated_at", "is_breaking"]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        "section",
        "is_breaking",
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
    readonly_fields = ["status_column", "first_published_at", "updated_at", "version", "created_by"]
    fieldsets = [
        (
            _("The story in Arabic"),
            {"fields": ["headline_ar", "deck_ar", "dateline_ar", "body_ar", "summary_ar"]},
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
            {"fields": ["section", "credit", "existing_tags", "new_tags", "lead_image", "is_breaking", "is_featured"]},
        ),
        (
            _("Publication"),
            {
                "fields": [
                    "status_column",
                    "publish_at",
                    "slug",
                    "first_published_at",
                    "updated_at",
                    "version",
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        admin_site = self.admin_site

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, admin_site=admin_site, **kw)
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        slugs.refresh_article_slug(obj)
        obj.updated_at = timezone.now()
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        article.tags.set(form.tag_names())
        if not change and not article.bylines.exists():
            Byline.objects.create(article=article, author=request.user, position=0)
        revisions.save_revision(article, request.user, note="" if change else str(_("Created")))
        search.update_document(article)
