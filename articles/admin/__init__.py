"""The newsroom admin, one module per area. Modules call domain functions; none writes state itself."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from . import images, registry, source_proposals, stories, wire  # noqa: F401 (registers the ModelAdmins)

admin.site.site_header = _("Telescope Newsroom")
admin.site.site_title = _("Telescope Newsroom")
admin.site.index_title = _("Newsroom")
wire.install(admin.site)  # the "Import wire copy" page
source_proposals.install(admin.site)  # sources an import proposed, waiting on a draft

# Stories use articles.Tag (Arabic slugs); taggit's own tag model stays out of the newsroom's way.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
