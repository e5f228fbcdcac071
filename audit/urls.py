from django.contrib import admin
from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("", admin.site.admin_view(views.trail), name="trail")]
