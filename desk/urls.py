"""Public addresses of the desk, under i18n_patterns (Arabic at "/", English under "/en/")."""

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("live/<int:pk>/entries/", views.entries, name="entries"),
]
