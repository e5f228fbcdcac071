"""What the audit trail records: one code per kind of event, with its readable name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong sign-in code")
    LOGOUT = "logout", _("Signed out")
    SESSION_EXPIRED = "session_expired", _("Signed out after inactivity")
    LOCKED_OUT = "locked_out", _("Sign-in locked")
    LOCK_LIFTED = "lock_lifted", _("Sign-in lock lifted")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Two-factor sign-in set up")
    RECOVERY_CODES_MADE = "recovery_codes_made", _("New recovery codes made")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Two-factor sign-in reset")
    STAFF_ADDED = "staff_added", _("Staff member added")
    STAFF_CHANGED = "staff_changed", _("Staff member changed")
    STAFF_DELETED = "staff_deleted", _("Staff member deleted")
    PASSWORD_SET = "password_set", _("Password set")
    INVITATION_SENT = "invitation_sent", _("Invitation made")
    GROUP_CHANGED = "group_changed", _("Role permissions changed")
    ACCESS_REFUSED = "access_refused", _("Refused: beyond the person's rights")
    IDENTITY_VIEWED = "identity_viewed", _("Protected source identity viewed")
    STORY_MOVED = "story_moved", _("Story moved in the workflow")
    STORY_EDITED = "story_edited", _("Story edited")
    STORY_RESTORED = "story_restored", _("Story revision restored")
    PREVIEW_LINK_MADE = "preview_link_made", _("Preview link made")
    PREVIEW_LINK_REVOKED = "preview_link_revoked", _("Preview link revoked")
    API_KEY_MADE = "api_key_made", _("API key made")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    BUDGET_ASSIGNED = "budget_assigned", _("Budget item assigned")
    BUDGET_STARTED = "budget_started", _("Story started from the budget")
    LIVE_STARTED = "live_started", _("Live coverage started")
    LIVE_ENDED = "live_ended", _("Live coverage ended")
    LIVE_ENTRY_ADDED = "live_entry_added", _("Live entry added")
    LIVE_ENTRY_CHANGED = "live_entry_changed", _("Live entry changed")
    LIVE_ENTRY_REMOVED = "live_entry_removed", _("Live entry removed")
