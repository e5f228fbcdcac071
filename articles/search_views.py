"""Search for readers. The search issue fills this in; until then the page holds the query box."""

from django.shortcuts import render

from .views import nav_sections


def search(request):
    query = request.GET.get("q", "").strip()
    return render(request, "articles/search.html", {"query": query, "nav_sections": nav_sections()})
