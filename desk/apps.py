from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("The desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from articles import views
        from articles.models import Revision
        from articles.signals import renditions_changed, story_moved

        from . import autosave, budget, live, notifications

        post_save.connect(autosave.revision_saved, sender=Revision, dispatch_uid="desk.autosave.revision_saved")
        story_moved.connect(notifications.story_moved, dispatch_uid="desk.notifications.story_moved")
        story_moved.connect(budget.story_moved, dispatch_uid="desk.budget.story_moved")
        renditions_changed.connect(live.renditions_changed, dispatch_uid="desk.live.renditions_changed")
        # A story page's live block reads the coverage from the story's own query.
        if "live" not in views.STORY_PAGE_JOINS:
            views.STORY_PAGE_JOINS.append("live")
