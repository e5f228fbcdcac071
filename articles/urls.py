"""The reader's site. Included under i18n_patterns: Arabic at "/", English under "/en/"."""

from django.urls import path

from . import feeds, search_views, views
from .cache import public_page

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("feeds/latest/", public_page(feeds.LatestFeed()), name="feed-latest"),
    path("feeds/latest/atom/", public_page(feeds.LatestAtomFeed()), name="feed-latest-atom"),
    path("feeds/section/<str:slug>/", public_page(feeds.SectionFeed()), name="feed-section"),
    path("feeds/section/<str:slug>/atom/", public_page(feeds.SectionAtomFeed()), name="feed-section-atom"),
    path("feeds/tag/<str:slug>/", public_page(feeds.TagFeed()), name="feed-tag"),
    path("feeds/tag/<str:slug>/atom/", public_page(feeds.TagAtomFeed()), name="feed-tag-atom"),
    path("section/<str:slug>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("source/<str:slug>/", views.source, name="source"),
    path("author/<str:slug>/", views.author, name="author"),
    path("<str:section>/<int:pk>/<str:slug>/", views.story, name="story"),
]
