from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.links import reverse_cached


class User(AbstractUser):
    """A member of staff; those with a display name and slug are public authors (bylines)."""

    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    slug = models.SlugField(
        _("author slug"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        allow_unicode=True,
        help_text=_("Used in the author's public page address. Arabic letters are allowed."),
    )
    bio = models.TextField(_("short biography"), blank=True, max_length=600)
    photo = models.ImageField(_("photo"), upload_to="authors/", blank=True)
    admin_language = models.CharField(
        _("admin language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ar",
        help_text=_("The language of the newsroom interface for this person."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self):
        if not self.slug:
            return ""
        return reverse_cached("articles:author", slug=self.slug)


class SignInLock(AccessAttempt):
    """django-axes' record of failed sign-ins for one account from one address; at the failure limit
    it is a lock. Chief editors see these and lift them (by deleting the record)."""

    class Meta:
        proxy = True
        verbose_name = _("sign-in lock")
        verbose_name_plural = _("sign-in locks")
        default_permissions = ("view", "delete")
