import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

# Imported once Django is set up: a current cached page is answered before Django's handler runs.
from newsroom.pagecache import PageCacheFront  # noqa: E402

application = PageCacheFront(django_application)
