"""The newswire: subscriber outlets, the products they take, their API keys, the versions of each
story delivered to them and the log of pushes to their webhooks.

Models hold fields and small derived values. Making keys is in `keys`, issuing and releasing
versions in `versions`, pushing in `push`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Tag, Urgency


class Product(models.Model):
    """A named selection of stories: sections and tags, languages, and how urgent at least."""

    class Languages(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")
        BOTH = "ar,en", _("Arabic and English")

    name = models.CharField(_("name"), max_length=200, unique=True)
    sections = models.ManyToManyField(
        Section,
        verbose_name=_("sections"),
        blank=True,
        help_text=_("Stories in these sections or their subsections."),
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, help_text=_("Stories with any of these tags.")
    )
    languages = models.CharField(_("languages"), max_length=8, choices=Languages.choices, default=Languages.ARABIC)
    min_urgency = models.PositiveSmallIntegerField(
        _("least urgent level"),
        choices=Urgency.choices,
        default=Urgency.LOWEST,
        help_text=_("Only stories at least this urgent (1 is a flash, 9 takes everything)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(languages__in=["ar", "en", "ar,en"]), name="product_languages_valid"),
            models.CheckConstraint(condition=Q(min_urgency__gte=1, min_urgency__lte=9), name="product_urgency_iptc"),
        ]

    def __str__(self):
        return self.name

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split(",")


class Subscriber(models.Model):
    """An outlet that takes the agency's stories: through the API with its keys, and pushed to its webhook."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact = models.TextField(_("contact"), blank=True, help_text=_("Who to call at the outlet: name, email, phone."))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("An inactive outlet receives nothing."))
    products = models.ManyToManyField(
        Product,
        verbose_name=_("products"),
        blank=True,
        related_name="subscribers",
        help_text=_("The outlet receives exactly the stories of all its products together."),
    )
    webhook_url = models.URLField(
        _("webhook address"),
        blank=True,
        help_text=_("Where each new version is posted, signed. Leave empty for API access only."),
    )
    # Signs pushes (HMAC-SHA256); it has to be stored as it is to sign with it.
    webhook_secret = models.CharField(_("webhook signing secret"), max_length=100, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.name


class ApiKey(models.Model):
    """A key to the API. Only its SHA-256 digest is stored: the key itself is shown once, when made."""

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="keys"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for, e.g. “website, 2026”."))
    prefix = models.CharField(_("key begins with"), max_length=20, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PubStatus(models.TextChoices):
    USABLE = "usable", _("usable")
    CANCELED = "canceled", _("canceled (killed)")


class ItemVersion(models.Model):
    """One version of one story in one language, as subscribers receive it (an IPTC ninjs item).

    Made by the move that issues it (publish, update, kill) and never changed afterwards, except
    that `sequence` is set when it is released to subscribers: at once, or when a scheduled story
    falls due. Sequences are assigned under one lock in commit order, so the API's cursor, which
    is a sequence, can never pass over a version committed later.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_versions")
    version = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    pubstatus = models.CharField(max_length=10, choices=PubStatus.choices, default=PubStatus.USABLE)
    # The move that issued it ("publish", "update", "kill"): the event pushes announce.
    event = models.CharField(max_length=20)
    item = models.JSONField()
    issued_at = models.DateTimeField()
    sequence = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("delivered version")
        verbose_name_plural = _("delivered versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "version", "language"], name="item_version_unique"),
            models.CheckConstraint(condition=Q(pubstatus__in=["usable", "canceled"]), name="item_pubstatus_valid"),
        ]
        indexes = [
            # Versions still waiting for their story's time (scheduled stories).
            models.Index(fields=["article"], name="item_unreleased_idx", condition=Q(sequence__isnull=True)),
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version} {self.language}"


class Delivery(models.Model):
    """One push of one version to one subscriber's webhook, with its attempts: the delivery log."""

    class Event(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        UPDATE = "update", _("Issue an update")
        KILL = "kill", _("Kill")
        EMBARGO_LIFTED = "embargo-lifted", _("Embargo lifted")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        RETRYING = "retrying", _("failed, will retry")
        DELIVERED = "delivered", _("delivered")
        DEAD = "dead", _("gave up (dead letter)")
        SKIPPED = "skipped", _("not sent")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="deliveries"
    )
    item = models.ForeignKey(
        ItemVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # "publish", "update", "kill", or "embargo-lifted" for the second push of an embargoed version.
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "retrying", "delivered", "dead", "skipped"]),
                name="delivery_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["subscriber", "-created_at"], name="delivery_subscriber_idx")]

    def __str__(self):
        return f"{self.subscriber} · {self.item} · {self.event}"
