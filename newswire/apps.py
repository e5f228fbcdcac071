from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewswireConfig(AppConfig):
    name = "newswire"
    verbose_name = _("Newswire")

    def ready(self):
        from articles.signals import story_moved

        from . import versions

        # The newsroom announces its moves; the wire turns them into versions and deliveries, in
        # the move's own transaction.
        story_moved.connect(versions.on_story_moved, dispatch_uid="newswire.versions")
