"""The newsroom's content model.

Models hold fields, `__str__`, `get_absolute_url` and small derived values. State changes live in
`workflow`, revisions in `revisions`, search documents in `search`, image files in `images`.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from newsroom.links import reverse_cached

from .visibility import ArticleQuerySet


def filled(field: str) -> Q:
    """A database check that a (translated, hence nullable) column holds text."""
    return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(condition=filled("name_ar"), name="section_name_ar_required"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="section_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_cached("articles:section", slug=self.slug)


class Source(models.Model):
    """Where reporting comes from. Identity fields are for chief editors only."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("News agency")
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        DOCUMENT = "document", _("Document or imagery")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    # Private: shown only to holders of articles.view_source_identity.
    identity = models.TextField(
        _("identity details"),
        blank=True,
        help_text=_("Who this source really is and how to reach them. Visible to chief editors only."),
    )
    private_notes = models.TextField(_("private notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("view_source_identity", _("Can see who anonymous sources are"))]
        constraints = [
            models.CheckConstraint(condition=filled("name_ar"), name="source_name_ar_required"),
            models.CheckConstraint(
                condition=Q(kind__in=["agency", "organisation", "person", "document"]),
                name="source_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_cached("articles:source", slug=self.slug)


class Tag(TagBase):
    """A taggit tag whose name and slug may be Arabic, with an English name (modeltranslation).

    `tag.name` reads the page's language, falling back to Arabic. taggit finds tags by the
    untranslated `name` column, so that column always holds the Arabic name (see `save`).
    """

    slug = models.SlugField(_("slug"), unique=True, max_length=100, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.CheckConstraint(condition=filled("name_ar"), name="tag_name_ar_required")]

    def save(self, *args, **kwargs):
        if not self.name_ar:
            # `Tag(name=…)` while English is active lands in name_en; a tag's `name` is its Arabic
            # name, as taggit and every caller that names tags mean it.
            self.name_ar = self.__dict__.get("name") or self.name_en
            if self.name_en == self.name_ar:
                self.name_en = None
        # modeltranslation fills the untranslated column from the active language: in an English
        # admin session it would store the English name where taggit looks for the Arabic one.
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        from .arabic import slugify

        slug = slugify(tag)
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return reverse_cached("articles:tag", slug=self.slug)


class ArabicTagNames(_TaggableManager):
    """A story's tags, named by their Arabic names whatever the active language.

    Forms, revisions and imports pass tag names to `set()` and read them back with `names()` or
    `values_list("name")`: these always mean the Arabic name, so an editor working in English
    neither duplicates tags nor stores English names in a revision.
    """

    def get_queryset(self, extra_filters=None):
        queryset = super().get_queryset(extra_filters)
        # A prefetched list is kept as it is (cloning it would query again).
        return queryset if queryset._result_cache is not None else queryset.rewrite(False)

    def _to_tag_model_instances(self, tags, tag_kwargs):
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return super()._to_tag_model_instances(tags, tag_kwargs)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]


class Image(models.Model):
    file = models.ImageField(_("image file"), upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("Describe what the picture shows, for readers who cannot see it."),
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    # The point to keep in frame when cropping, as fractions of width and height.
    focal_x = models.FloatField(
        _("focal point (horizontal)"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    focal_y = models.FloatField(
        _("focal point (vertical)"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(condition=filled("alt_ar"), name="image_alt_ar_required"),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_in_frame",
            ),
        ]

    def __str__(self):
        return self.alt or self.file.name


def rendition_folder(image_id: int) -> str:
    """Where an image's renditions are stored: a folder of their own, so that whatever a killed
    job wrote there and never recorded can be found and removed (`images.make_renditions`)."""
    return f"renditions/{image_id}/"


def rendition_path(rendition: "Rendition", filename: str) -> str:
    return rendition_folder(rendition.image_id) + filename


class Rendition(models.Model):
    """One stored, resized copy of an image, made once and reused."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=8, choices=Format.choices)
    # "" for the whole picture; "16:9" or "1:1" for crops around the focal point.
    crop = models.CharField(max_length=8, blank=True, default="")
    # The focal point a crop was made around, so moving it makes new crops.
    focal_key = models.CharField(max_length=16, blank=True, default="")
    file = models.ImageField(upload_to=rendition_path, width_field="", height_field="")
    size = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "width", "format", "crop", "focal_key"], name="rendition_unique"),
            models.CheckConstraint(condition=Q(format__in=["webp", "jpeg"]), name="rendition_format_valid"),
        ]

    def __str__(self):
        return f"{self.image_id} {self.crop or 'full'} {self.width}w {self.format}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    KILLED = "killed", _("Killed")


# States of a story that readers once saw and that was taken back: its address answers 410.
WITHDRAWN = (Status.UNPUBLISHED, Status.KILLED)


class Urgency(models.IntegerChoices):
    """IPTC urgency: 1 is the most urgent, 9 the least."""

    FLASH = 1, _("1 — flash")
    TWO = 2, _("2 — very urgent")
    URGENT = 3, _("3 — urgent")
    FOUR = 4, _("4 — important")
    NORMAL = 5, _("5 — normal")
    SIX = 6, _("6 — less important")
    SEVEN = 7, _("7 — minor")
    EIGHT = 8, _("8 — background")
    LOWEST = 9, _("9 — lowest")


# Stories at least this urgent make the breaking-news strip and carry the "Breaking" badge.
BREAKING_URGENCY = Urgency.URGENT


class Article(models.Model):
    headline = models.CharField(_("headline"), max_length=250)
    deck = models.TextField(_("deck"), blank=True, max_length=600, help_text=_("The line under the headline."))
    summary = models.TextField(
        _("summary"), blank=True, max_length=600, help_text=_("For listings, feeds and search results.")
    )
    body = models.TextField(_("body"), blank=True)
    dateline = models.CharField(_("dateline"), max_length=120, blank=True, help_text=_("Where the story was filed."))
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        allow_unicode=True,
        help_text=_("Made from the headline; fixed once the story is published."),
    )
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles")
    credit = models.ForeignKey(
        Source,
        verbose_name=_("credit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_articles",
        help_text=_("The agency or outlet the story is credited to."),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authors"),
        through="Byline",
        related_name="bylined_articles",
        blank=True,
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True, manager=ArabicTagNames)
    lead_image = models.ForeignKey(
        Image,
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_of",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    publish_at = models.DateTimeField(
        _("publish at"), null=True, blank=True, help_text=_("Leave empty to publish at once.")
    )
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"),
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        help_text=_("1 is a flash; 3 or more urgent puts the story in the breaking-news strip; 5 is normal."),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_(
            "Subscribers may receive the story before this time, marked embargoed; readers see it only from then."
        ),
    )
    is_featured = models.BooleanField(_("featured"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # What subscribers see, counted apart from `version` (which counts internal saves): 1 when the
    # story is first published, one more for each update an editor issues and for a kill.
    wire_version = models.PositiveIntegerField(_("delivered version"), default=0, editable=False)
    issued_at = models.DateTimeField(_("version issued"), null=True, blank=True, editable=False)
    update_note = models.TextField(_("update note"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_articles",
        editable=False,
    )
    search_document = SearchVectorField(null=True, editable=False)
    # The headline's words alone (weight A of search_document): a search finds the headline matches
    # among tens of thousands of body matches in this small index, without reading those stories.
    headline_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [
            ("submit_article", _("Can submit a story for review")),
            ("approve_article", _("Can approve a story")),
            ("publish_article", _("Can publish a story")),
            ("unpublish_article", _("Can unpublish a story")),
            ("kill_article", _("Can kill a story")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="article_status_valid"),
            models.CheckConstraint(condition=filled("headline_ar"), name="article_headline_ar_required"),
            models.CheckConstraint(condition=~Q(slug=""), name="article_slug_required"),
            # A published story always has the time it goes (or went) public.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False, first_published_at__isnull=False),
                name="article_published_has_times",
            ),
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=9), name="article_urgency_iptc"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            # fastupdate off: a save updates the index at once, so no search pays for scanning a
            # pending list of recent saves (saves are rare, searches are not).
            GinIndex(fields=["search_document"], name="article_search_idx", fastupdate=False),
            GinIndex(fields=["headline_document"], name="article_headline_search_idx", fastupdate=False),
            # The next embargo to lift, for the page cache's clock.
            models.Index(
                fields=["embargo_until"], name="article_embargo_idx", condition=Q(embargo_until__isnull=False)
            ),
            # The admin's story list: its order (read backwards: newest first, drafts before them),
            # its date bar and date filters, and the filters that have no index of their own.
            models.Index(fields=["publish_at", "id"], name="article_list_order_idx"),
            models.Index(fields=["updated_at"], name="article_updated_idx"),
            models.Index(fields=["urgency", "publish_at", "id"], name="article_urgency_idx"),
            models.Index(fields=["publish_at", "id"], name="article_featured_idx", condition=Q(is_featured=True)),
            # The dashboard's stories published per day and section (desk.figures), index-only.
            models.Index(fields=["first_published_at", "section"], name="article_first_published_idx"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return reverse_cached("articles:story", section=self.section.slug, pk=self.pk, slug=self.slug)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_breaking(self) -> bool:
        return self.urgency <= BREAKING_URGENCY


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_unique")]

    def __str__(self):
        return str(self.author)


class Attribution(models.Model):
    """How a story cites a source. Anonymous sources appear by their public description only."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="attributions")
    description = models.CharField(
        _("described in the story as"),
        max_length=200,
        help_text=_('How the story names the source, e.g. "four Syrian officials".'),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Readers see only the description, never the source.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        constraints = [
            models.CheckConstraint(condition=filled("description_ar"), name="attribution_description_ar_required"),
        ]

    def __str__(self):
        return self.description


class SourceProposal(models.Model):
    """A source the wire parser read in a draft that is not in the registry yet.

    It waits on the draft until someone who may edit the story confirms it (a new Source), merges
    it into an existing Source or discards it (`wire.confirmation`): a guess never becomes a
    registry entry on its own.
    """

    class Role(models.TextChoices):
        CREDIT = "credit", _("credit")
        ATTRIBUTION = "attribution", _("attribution")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="source_proposals")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ATTRIBUTION)
    name = models.CharField(_("proposed name"), max_length=200)
    name_en = models.CharField(_("proposed English name"), max_length=200, blank=True)
    description = models.CharField(_("described in the story as"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Source.Kind.choices, default=Source.Kind.ORGANISATION)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    confidence = models.FloatField(_("confidence"), default=0.0)
    # [[reason code, the word it is about], …] as read by articles.wire.attributions.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    sentences = models.JSONField(_("sentences"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("proposed source")
        verbose_name_plural = _("proposed sources")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="source_proposal_name_required"),
            models.CheckConstraint(condition=Q(role__in=["credit", "attribution"]), name="source_proposal_role_valid"),
        ]

    def __str__(self):
        return self.name


class SearchTerm(models.Model):
    """One word the stories use, as search folds it: the lexicon behind one-slip search.

    `word` is the word as `arabic.normalize()` folds it (lower case for English), `display` the
    form written most often ("الانسحاب"), `trigrams` the word spelled for pg_trgm (see
    `arabic.trigram_key()`), `stories` roughly how many stories used it (counted at each write, so
    a story saved twice counts twice: good enough to prefer the common word). Written by
    `search.update_documents()`; read by `lexicon.corrections()`.
    """

    language = models.CharField(max_length=2)
    word = models.CharField(max_length=100)
    display = models.CharField(max_length=100)
    trigrams = models.CharField(max_length=100)
    stories = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="searchterm_unique")]
        indexes = [GinIndex(fields=["trigrams"], opclasses=["gin_trgm_ops"], name="searchterm_trigram_idx")]

    def __str__(self):
        return self.display


class Correction(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [models.CheckConstraint(condition=filled("text_ar"), name="correction_text_ar_required")]

    def __str__(self):
        return self.text


class Revision(models.Model):
    """A snapshot of every field of a story at one save. Never edited or deleted by the application."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    snapshot = models.JSONField(_("snapshot"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique")]

    def __str__(self):
        return f"#{self.number}"


# Workflow comments are notes to colleagues, not documents.
COMMENT_MAX_LENGTH = 2000


class Transition(models.Model):
    """One workflow move. With revisions, the audit trail; never edited or deleted."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    move = models.CharField(_("move"), max_length=20)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    # Set when the move changed the time the story goes public (publish, reschedule).
    old_publish_at = models.DateTimeField(_("publication time before"), null=True, blank=True)
    new_publish_at = models.DateTimeField(_("publication time after"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workflow move")
        verbose_name_plural = _("workflow moves")

    def __str__(self):
        return f"{self.move}: {self.from_status} → {self.to_status}"


class PreviewLink(models.Model):
    """A signed link showing one story, as readers will see it, to whoever holds it.

    It works until `expires_at`, until someone revokes it, and only while the story is in a state
    that may be previewed (`workflow.PREVIEWABLE`); leaving those states revokes it for good.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"{self.article_id} #{self.pk}"
