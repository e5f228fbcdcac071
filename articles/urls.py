from django.urls import path

from . import search_views, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("section/<str:slug>/", views.section, name="section"),
    path("tag/<str:slug>/", views.tag, name="tag"),
    path("source/<str:slug>/", views.source, name="source"),
    path("author/<str:slug>/", views.author, name="author"),
    path("<str:section>/<int:pk>/<str:slug>/", views.story, name="story"),
]
