from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from accounts.views import preferences
from articles import sitemaps
from articles.preview import preview
from newswire.api import api as newswire_api

from .health import healthz, readyz
from .observability import metrics

handler500 = "newsroom.outage.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("admin/preferences/", admin.site.admin_view(preferences), name="admin-preferences"),
    path("admin/account/", include("accounts.urls")),
    path("admin/audit/", include("audit.urls")),
    path("admin/desk/", include("desk.staff_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", newswire_api.urls),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap-section"),
    path("news-sitemap.xml", sitemaps.news, name="sitemap-news"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Arabic at "/", English under "/en/".
urlpatterns += i18n_patterns(
    path("preview/<str:token>/", preview, name="preview"),
    path("", include("desk.urls")),
    path("", include("articles.urls")),
    prefix_default_language=False,
)
