"""The reader's site. Included under i18n_patterns: Arabic at "/", English under "/en/"."""

from django.urls import path

from . import feeds, search_views, views
from .cache import LONG_TIMEOUT, public_page

app_name = "articles"
feed = public_page(timeout=LONG_TIMEOUT)

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("feeds/latest/", feed(feeds.LatestFeed()), name="feed-latest"),
    path("feeds/latest/atom/", feed(feeds.LatestAtomFeed()), name="feed-latest-atom"),
    path("feeds/section/<str:slug>/", feed(feeds.SectionFeed()), name="feed-section"),
    path("feeds/section/<str:slug>/atom/", feed(feeds.SectionAtomFeed()), name="feed-section-atom"),
    path("feeds/tag/<str:slug>/", feed(feeds.TagFeed()), name="feed-tag"),
    path("feeds/tag/<str:slug>/atom/", feed(feeds.TagAtomFeed()), name="feed-tag-atom"),
    path("section/<str:slug>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("source/<str:slug>/", views.source, name="source"),
    path("author/<str:slug>/", views.author, name="author"),
    path("<str:section>/<int:pk>/<str:slug>/", views.story, name="story"),
]
