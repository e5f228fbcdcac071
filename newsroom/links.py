"""`reverse()` for the links a page prints many times: stories, sections, tags, sources, authors.

Reversing walks the URL patterns and quotes the result, about 15 µs a link, and a home page prints
a hundred links. The answer depends only on the view name, its arguments, the language (the /en/
prefix), the script prefix and the URLconf, so it is kept per process under exactly those, as any
pure function may be: nothing here needs invalidating, except when a test changes the settings
that decide the URLs.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Enough for every link on the pages readers visit; older ones are reversed again when needed.
KEPT = 20_000


def reverse_cached(viewname: str, **kwargs) -> str:
    """`reverse(viewname, kwargs=kwargs)`, reversed once per process for each set of inputs."""
    return _reverse(viewname, tuple(kwargs.items()), get_language(), get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=KEPT)
def _reverse(viewname: str, kwargs: tuple, language: str | None, prefix: str, urlconf: str | None) -> str:
    # Called in the state the key describes (language, prefix, URLconf): reverse() reads it there.
    return reverse(viewname, kwargs=dict(kwargs), urlconf=urlconf)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}:
        _reverse.cache_clear()
