"""Upload bodies refused before they are read: each upload route's limit, applied where Django reads.

Django reads a request's body the first time something touches `request.POST` or `request.FILES`,
and `CsrfViewMiddleware` does so in its `process_view`, before any view or form runs; a check in
a form comes after a 100 MB body has been read. So `UploadLimitMiddleware`, placed just before
`CsrfViewMiddleware`, looks at each POST to a route in `ROUTES`:

- a declared Content-Length above what the route can legitimately receive (its file limit plus
  `DATA_UPLOAD_MAX_MEMORY_SIZE`, what Django lets the form's other fields hold) is answered 413
  with a page in the user's language, and not one byte of the body is read;
- otherwise `LimitedUploadHandler` goes first among the request's upload handlers and counts file
  bytes as they stream: past the limit it passes none on and gives the form a stand-in that
  carries the size it reached, so the form refuses it with its own message and keeps everything
  else that was typed.
Django reads no body past its declared length (`LimitedStream`) and none at all without one, so a
false or missing length cannot get around either check. The forms' own size checks stay: they are
what the journalist reads, and the only check when a file comes by another route.
"""

import io
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from . import wire

# File bytes each upload route accepts, by URL name: the limits its form checks, read when used so
# that settings can change them.
ROUTES: dict[str, Callable[[], int]] = {
    "admin:articles_image_add": lambda: settings.IMAGE_MAX_UPLOAD_BYTES,
    "admin:articles_image_change": lambda: settings.IMAGE_MAX_UPLOAD_BYTES,
    "admin:articles_article_import_wire": lambda: wire.MAX_UPLOAD_BYTES,
}
BODY_METHODS = {"POST", "PUT", "PATCH"}


def body_limit(file_limit: int) -> int:
    """The most a request to a route with this file limit can legitimately send."""
    return file_limit + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


class UploadLimitMiddleware:
    """Goes just before CsrfViewMiddleware in MIDDLEWARE (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        route = ROUTES.get(request.resolver_match.view_name) if request.method in BODY_METHODS else None
        if route is None:
            return None
        file_limit = route()
        declared = declared_length(request)
        if declared > body_limit(file_limit):
            return too_large(request, declared, file_limit)
        request.upload_handlers.insert(0, LimitedUploadHandler(request, file_limit))
        try:
            # Read the body now, under these limits, so that the form fields growing past Django's
            # own limit get this page too, rather than a bare "Bad Request".
            request.POST  # noqa: B018
        except RequestDataTooBig:
            return too_large(request, declared, file_limit)
        return None


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large(request, size: int, limit: int) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": gettext("The file is too large"),
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
        "form_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/upload_too_large.html", context, status=413)


class TooLargeUpload(UploadedFile):
    """Stands in for a file cut off at the limit: its name and the size it reached, no content."""

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(io.BytesIO(), name, content_type, size, charset, content_type_extra)


class LimitedUploadHandler(FileUploadHandler):
    """Passes file data on to Django's own handlers up to `limit` bytes (all files together);
    past it, passes nothing on and returns a `TooLargeUpload` of the size the file reached."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.file_size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_size = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_size += len(raw_data)
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size):
        if self.received <= self.limit:
            return None  # the next handler holds the file
        return TooLargeUpload(self.file_name, self.content_type, self.file_size, self.charset, self.content_type_extra)


def file_input_attrs(limit: int) -> dict[str, str]:
    """Attributes that let static/admin/upload-limit.js refuse an oversized file before it is sent."""
    message = gettext("This file is larger than %(limit)s, the most this page accepts. Choose a smaller file.") % {
        "limit": filesizeformat(limit)
    }
    return {"data-max-bytes": str(limit), "data-too-large": message}
