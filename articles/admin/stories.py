"""The story admin. It never writes state by itself: saves go through `editing.save_edit()`, moves
through `workflow.transition()`, preview links through `preview`. What a person may do comes from
`permissions`."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

import audit

from .. import arabic, editing, permissions, preview, revisions, richtext, search
from ..forms import ArticleAdminForm
from ..models import Article, Attribution, Byline, Correction, Status, Transition
from ..templatetags.reader import datetime_attr
from ..workflow import MOVES
from . import history, moves, previews
from .autocomplete import thumbnail_url
from .changelog import ArabicHistoryMixin
from .counting import BoundedCountPaginator
from .filters import AuthorFilter, TagFilter
from .queues import QueueFilter
from .readonly import ReadOnlyView
from .story_list import StoryChangeList
from .validation import ValidatedInputMixin, preload_choices
from .widgets import ImagePicker

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


class BylineForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "author" in self.fields:
            preload_choices(self.fields["author"], [self.instance.author])  # read with the byline

    def has_changed(self):
        # A new story's first byline comes filled in with its writer; Django would skip a row left
        # as it came, and the writer would be missing once they add a co-author.
        return super().has_changed() or (self.instance.pk is None and bool(self.initial.get("author")))


class BylineInline(ValidatedInputMixin, admin.TabularInline):
    model = Byline
    form = BylineForm
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = _("byline")
    verbose_name_plural = _("bylines (in order)")
    classes = ["story-inline"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None or obj.pk is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


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
        if "description_en" in self.fields:
            # A table has no fieldset per language: the column says it.
            self.fields["description_en"].label = _("in English (optional)")
        # (In a read-only view both fields are shown by the inline instead: see AttributionInline.)
        if not self.can_see_identity and self.instance.pk and self.instance.is_anonymous and "source" in self.fields:
            # Disabled fields keep their stored value whatever is posted.
            self.fields["source"].disabled = True
            self.fields["source"].widget = ProtectedSourceWidget()
            self.fields["source"].help_text = _("Only chief editors can see this source.")
            self.fields["is_anonymous"].disabled = True
        elif self.instance.pk and "source" in self.fields:
            preload_choices(self.fields["source"], [self.instance.source])  # read with the attribution


class AttributionInline(ValidatedInputMixin, TranslationTabularInline):
    model = Attribution
    form = AttributionForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "description_ar", "description_en", "is_anonymous", "position"]
    verbose_name = _("source cited")
    verbose_name_plural = _("sources cited in the story")
    classes = ["story-inline", "sources-inline"]

    def get_extra(self, request, obj=None, **kwargs):
        # Most stories cite someone: a new one starts with a row to fill (left empty, it is ignored).
        return 1 if obj is None or obj.pk is None else 0

    # Django makes an inline anew for every request; get_fields() sets this for the read-only view.
    can_see_identity = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not permissions.can_edit(request.user, obj):
            # Read-only rows: an anonymous source stays hidden, the English column says it is one,
            # and Django's tick (which says "True" in English) becomes a word.
            self.can_see_identity = request.user.has_perm("articles.view_source_identity")
            swaps = {"source": "source_text", "description_en": "english_description", "is_anonymous": "anonymous_text"}
            return [swaps.get(name, name) for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "source_text", "english_description", "anonymous_text"]

    @admin.display(description=_("source"))
    def source_text(self, obj):
        if obj.is_anonymous and not self.can_see_identity:
            return ProtectedSourceWidget().render("source", None)
        return str(obj.source)

    @admin.display(description=_("in English (optional)"))
    def english_description(self, obj):
        return format_html('<span lang="en" dir="ltr">{}</span>', obj.description_en) if obj.description_en else "—"

    @admin.display(description=_("anonymous"))
    def anonymous_text(self, obj):
        return _("yes") if obj.is_anonymous else _("no")

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and request.user.has_perm("articles.view_source_identity"):
            for attribution in obj.attributions.filter(is_anonymous=True).select_related("source"):
                audit.record("identity_viewed", by=request.user, obj=attribution.source, request=request, story=obj.pk)
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(
            "AttributionFormForUser",
            (formset.form,),
            {"can_see_identity": request.user.has_perm("articles.view_source_identity")},
        )
        return formset


class CorrectionInline(ValidatedInputMixin, TranslationStackedInline):
    model = Correction
    extra = 0
    fields = ["text_ar", "text_en", "created_at", "created_by"]
    readonly_fields = ["created_at", "created_by"]
    verbose_name_plural = _("corrections (shown on the story page with their date)")
    classes = ["story-inline"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text_en" and field is not None:
            field.label = _("in English (optional)")
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None):
        # A correction corrects something readers saw.
        return super().has_add_permission(request, obj) and obj is not None and obj.first_published_at is not None


def rendered_text(html: str | None, language: str) -> str:
    """A story's rich text as readers see it, in its own direction (read-only pages)."""
    if not html:
        return "—"
    direction = "rtl" if language == "ar" else "ltr"
    return format_html(
        '<div class="story-text" dir="{}" lang="{}">{}</div>',
        direction,
        language,
        mark_safe(richtext.sanitize(html)),  # noqa: S308 — sanitize() keeps only the editor's allowlist
    )


# A person who may only read a story sees it as text, not as empty form fields.
READ_ONLY_SWAPS: dict[str, list[str]] = {
    "body_ar": ["body_ar_text"],
    "body_en": ["body_en_text"],
    "existing_tags": ["tag_list"],
    "new_tags": [],
    "loaded_version": [],
    # Django's read-only ticks say "True"/"False" in English to screen readers.
    "is_featured": ["featured_text"],
    "lead_image": ["lead_image_preview"],
}
PUBLICATION = _("Publication")
# On a new story there is nothing to show yet.
BOOKKEEPING = {
    "status_column",
    "first_published_at",
    "updated_at",
    "version",
    "wire_version",
    "issued_at",
    "update_note",
    "created_by",
}


@admin.register(Article)
class ArticleAdmin(ValidatedInputMixin, ArabicHistoryMixin, ReadOnlyView, TranslationAdmin):
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
        "breaking_column",
    ]
    list_display_links = ["headline"]
    list_filter = [
        QueueFilter,
        "status",
        "section",
        AuthorFilter,
        TagFilter,
        "urgency",
        "is_featured",
        "publish_at",
    ]
    list_select_related = ["section"]
    list_per_page = 50
    # At 100,000 stories an exact count of a long list reads all of it: see counting.py.
    paginator = BoundedCountPaginator
    show_full_result_count = False
    search_fields = ["headline_ar", "headline_en", "slug"]
    date_hierarchy = "updated_at"
    autocomplete_fields = ["credit", "lead_image"]
    history_ignores = frozenset({"workflow_move", "workflow_comment", "workflow_publish_at", "loaded_version"})
    read_only_swaps = READ_ONLY_SWAPS
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
            PUBLICATION,
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

    @property
    def media(self):
        # jQuery and select2 are named before our scripts (by the names Django's own media use), so
        # that Django's media merge keeps them first.
        extra = "" if settings.DEBUG else ".min"
        ours = forms.Media(
            css={"all": ["admin/newsroom.css"]},
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                "admin/js/jquery.init.js",
                "admin/list-filter.js",
                "admin/image-picker.js",
                "admin/prose-editor-arabic.js",
                "admin/inline-cards.js",
            ],
        )
        return super().media + ours

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            kwargs["widget"] = ImagePicker(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def action_checkbox(self, obj):
        # Django's exact markup, without rendering a form widget's templates for each of fifty rows
        # (a sixth of the list's time).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=_("status"), ordering="status")
    def status_column(self, obj):
        return status_badge(obj) if obj.pk else "—"

    @admin.display(description=_("publish at"), ordering="publish_at")
    def publish_at_column(self, obj):
        return arabic.format_datetime(obj.publish_at, get_language()) if obj.publish_at else "—"

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_at_column(self, obj):
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            datetime_attr(obj.updated_at),
            arabic.format_datetime(obj.updated_at, get_language()),
            arabic.format_when(obj.updated_at, get_language()),
        )

    @admin.display(description=_("breaking"), ordering="urgency", empty_value="")
    def breaking_column(self, obj):
        # Only what makes the breaking strip is marked (a column of fives would say nothing); the
        # exact urgency is in the mark's title.
        if not obj.is_breaking:
            return ""
        return format_html('<span class="breaking-mark" title="{}">{}</span>', obj.get_urgency_display(), _("Breaking"))

    @admin.display(description=_("featured"))
    def featured_text(self, obj):
        return _("yes") if obj.is_featured else _("no")

    @admin.display(description=_("lead image"))
    def lead_image_preview(self, obj):
        image = obj.lead_image
        if image is None:
            return "—"
        return format_html(
            '<figure class="lead-preview"><img src="{}" alt="" width="96" height="96">'
            "<figcaption>{}</figcaption></figure>",
            thumbnail_url(image),
            image.alt,
        )

    @admin.display(description=_("body"))
    def body_ar_text(self, obj):
        return rendered_text(obj.body_ar, "ar")

    @admin.display(description=_("body"))
    def body_en_text(self, obj):
        return rendered_text(obj.body_en, "en")

    @admin.display(description=_("tags"))
    def tag_list(self, obj):
        names = sorted(obj.tags.values_list("name", flat=True)) if obj.pk else []
        if not names:
            return "—"
        return format_html('<ul class="tag-chips">{}</ul>', format_html_join("", "<li>{}</li>", ((n,) for n in names)))

    @admin.display(description=_("authors"))
    def byline_column(self, obj):
        return format_html_join("، ", "{}", ((str(b.author),) for b in obj.bylines.all())) or "—"

    def get_queryset(self, request):
        # The story's page shows its section, credit and writer; the list reads its own (StoryChangeList).
        return super().get_queryset(request).select_related("section", "created_by", "credit")

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/move/", wrap(moves.move_view(self)), name="articles_article_move"),
            path("<int:object_id>/previews/", wrap(previews.create_view(self)), name="articles_article_previews"),
            path(
                "<int:object_id>/previews/<int:link_id>/revoke/",
                wrap(previews.revoke_view(self)),
                name="articles_article_preview_revoke",
            ),
            path("<int:object_id>/revisions/", wrap(history.revisions_view(self)), name="articles_article_revisions"),
            path(
                "<int:object_id>/revisions/<int:number>/restore/",
                wrap(history.restore_view(self)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        """The site's search engine over every state, best match first.

        A term with nothing searchable in it (punctuation, say) falls back to the plain text match
        over search_fields.
        """
        if search.search_query(search_term) is None:
            return super().get_search_results(request, queryset, search_term)
        found = search.with_search(queryset, search_term)
        if ORDER_VAR in request.GET:
            # A column the person sorts by wins over the engine's order, which replaced the list's.
            found = found.order_by(*queryset.query.order_by)
        return found, False

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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)  # read-only swaps: ReadOnlyView
        if obj is None:
            fieldsets = [
                (title, {**options, "fields": [name for name in options["fields"] if name not in BOOKKEEPING]})
                for title, options in fieldsets
            ]
        if not request.user.has_perm("articles.publish_article"):
            # Scheduling and the address are the editors' business: folded for everyone else.
            fieldsets = [
                (title, {**options, "classes": [*options.get("classes", []), "collapse"]})
                if title == PUBLICATION
                else (title, options)
                for title, options in fieldsets
            ]
        return fieldsets

    def get_inlines(self, request, obj):
        # Corrections correct what readers saw: nothing to show on a story never published.
        if obj is None or obj.first_published_at is None:
            return [inline for inline in self.inlines if inline is not CorrectionInline]
        return self.inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None:
            kwargs["initial"] = [{"author": request.user.pk, "position": 0}]
        return kwargs

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + sorted(editing.fixed_fields(obj)) if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return permissions.can_delete(request.user, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = [article for article in objs if not permissions.can_delete(request.user, article)]
        if kept:
            # Said in words: Django would list only the model's name.
            perms_needed = {
                _("“%(headline)s” (a published story is unpublished, never deleted)") % {"headline": article.headline}
                if article.status == Status.PUBLISHED
                else _("“%(headline)s”") % {"headline": article.headline}
                for article in kept
            }
        return deleted, counts, perms_needed, protected

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return permissions.can_write_stories(request.user)
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
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except revisions.EditConflict:
            # Someone saved between this form's validation and the row lock, so nothing was written.
            # Validating again now sees their version and shows the conflict with everything typed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(created_by=request.user)
        form = context["adminform"].form
        workflow_moves = [MOVES[name] for name in permissions.allowed_moves(request.user, article)]
        context.update(
            {
                "workflow_moves": workflow_moves,
                "reschedule_allowed": any(rule.time_required for rule in workflow_moves),
                "workflow_form": form,
                "can_edit_story": permissions.can_edit(request.user, article),
                "status_badge": status_badge(article) if obj else "",
                "transitions": (
                    Transition.objects.filter(article=obj).select_related("by").order_by("-created_at", "-id")
                    if obj
                    else []
                ),
                "conflict_changes": form.conflict.changes_meanwhile(request.user) if form.conflict else [],
                "can_preview": obj is not None and permissions.can_preview(request.user, obj),
                "preview_hours": preview.MAX_AGE_HOURS,
            }
        )
        if context["can_preview"]:
            context["preview_links"] = preview.links_of(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving ----------------------------------------------------------------------------------
    # Django's change view calls save_model() then save_related(); the whole save is one call to
    # the domain in save_related(), where the inline formsets are at hand.

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        edit = edit_from_forms(form, formsets)
        if change:
            editing.save_edit(form.instance, request.user, edit, loaded_version=form.cleaned_data["loaded_version"])
        else:
            editing.create_story(form.instance, request.user, edit)
        if move := form.cleaned_data.get("workflow_move"):
            data = form.cleaned_data
            moves.make_move(
                request, form.instance, move, data.get("workflow_comment", ""), data.get("workflow_publish_at")
            )

    def construct_change_message(self, request, form, formsets, add=False):
        # The inlines were written by save_edit(), not by their formsets.
        return super().construct_change_message(request, form, [], add)

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


def _rows(formset) -> list[dict] | None:
    """What a changed inline formset leaves, in its order of position; None when it is unchanged."""
    if formset is None or not formset.has_changed():
        return None
    deleted = set(map(id, formset.deleted_forms))
    kept = [
        form
        for form in formset.forms
        if id(form) not in deleted and (form.instance.pk is not None or form.has_changed())
    ]
    kept.sort(key=lambda form: form.cleaned_data.get("position") or 0)
    return [{**form.cleaned_data, "id": form.instance.pk} for form in kept]


def edit_from_forms(form, formsets) -> editing.Edit:
    """The edit a valid change form and its inline formsets describe."""
    by_model = {formset.model: formset for formset in formsets}
    bylines = _rows(by_model.get(Byline))
    attributions = _rows(by_model.get(Attribution))
    corrections = _rows(by_model.get(Correction))
    return editing.Edit(
        fields=form.edit_fields(),
        tags=form.tag_names(),
        authors=None if bylines is None else [row["author"].pk for row in bylines if row.get("author")],
        attributions=None
        if attributions is None
        else [
            editing.Citation(
                source_id=row["source"].pk,
                description_ar=row["description_ar"],
                description_en=row.get("description_en") or "",
                is_anonymous=row["is_anonymous"],
            )
            for row in attributions
        ],
        corrections=None
        if corrections is None
        else [
            editing.CorrectionText(text_ar=row["text_ar"], text_en=row.get("text_en") or "", id=row["id"])
            for row in corrections
        ],
    )
