"""The newsroom admin, one module per area. Modules call domain functions; none writes state itself."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from . import auth_labels, autocomplete, boolean_icons, images, registry, source_proposals, stories, wire  # noqa: F401 (registers the ModelAdmins)

admin.site.site_header = _("Telescope Newsroom")
admin.site.site_title = _("Telescope Newsroom")
admin.site.index_title = _("Newsroom")
# The header's links (templates/admin/base_site.html) replace the side menu, whose 280 px cut the
# story list off at 1280 px.
admin.site.enable_nav_sidebar = False
wire.install(admin.site)  # the "Import wire copy" page
source_proposals.install(admin.site)  # sources an import proposed, waiting on a draft
autocomplete.install(admin.site)  # co-authors for journalists, thumbnails in the picture picker
auth_labels.install()  # role and permission names in the person's language
boolean_icons.install()  # yes/no icons say so in the person's language

# Stories use articles.Tag (Arabic slugs); taggit's own tag model stays out of the newsroom's way.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
