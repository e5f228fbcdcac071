"""The desk's admin pages, under /admin/desk/ (each behind the admin's sign-in)."""

from django.contrib import admin
from django.urls import path

from . import autosave_views, staff_views

app_name = "desk"
wrap = admin.site.admin_view

urlpatterns = [
    path("calendar/", wrap(staff_views.calendar_view), name="calendar"),
    path("notifications/", wrap(staff_views.notifications_view), name="notifications"),
    path("notifications/<int:pk>/", wrap(staff_views.open_notification), name="notification"),
    path("live/<int:article_id>/", wrap(staff_views.live_console), name="live"),
    path("live/entry/<int:pk>/", wrap(staff_views.live_entry), name="live-entry"),
    path("autosave/", wrap(autosave_views.keep), name="autosave"),
    path("autosave/discard/", wrap(autosave_views.discard), name="autosave-discard"),
]
