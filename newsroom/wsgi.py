import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: a current cached page is answered before Django's handler runs.
from newsroom.pagecache import PageCacheFront  # noqa: E402

application = PageCacheFront(django_application)

# What start-up made (modules, settings, URL patterns, translations: about 100,000 objects) lives as
# long as the process. Frozen, the collector no longer walks it in every full collection, which
# took 20-30 ms on a 2-core server, a pause in whatever request was running (bench/search.py).
gc.collect()
gc.freeze()
