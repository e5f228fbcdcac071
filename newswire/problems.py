"""Errors of the API as RFC 9457 problem details, in the language the client asked for.

`Accept-Language: en` gives English, anything else Arabic (Django's LocaleMiddleware decides).
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

TYPE_BASE = "urn:telescope-news:problem:"
CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised anywhere in the API to answer with a problem document."""

    status = 400
    code = "bad-request"

    def __init__(self, detail: str = "", *, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def title(self) -> str:
        return _("Bad request")


class NotAuthenticated(Problem):
    status, code = 401, "unauthorized"

    def __init__(self, detail: str = ""):
        super().__init__(
            detail or _("Send a valid API key in the Authorization header: “Authorization: Bearer <key>”."),
            headers={"WWW-Authenticate": 'Bearer realm="newswire"'},
        )

    def title(self) -> str:
        return _("Missing or invalid API key")


class KeyInAddress(Problem):
    code = "key-in-address"

    def __init__(self):
        super().__init__(
            _(
                "API keys are never accepted in the address, where logs keep them. Send the key in the "
                "Authorization header instead, and replace this one: it may have leaked."
            )
        )

    def title(self) -> str:
        return _("API key in the address")


class RateLimited(Problem):
    status, code = 429, "rate-limited"

    def __init__(self, retry_after: int, limit: int):
        super().__init__(
            _("This key may make %(limit)s requests a minute. Try again in %(seconds)s seconds.")
            % {"limit": limit, "seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )

    def title(self) -> str:
        return _("Too many requests")


class NotFound(Problem):
    status, code = 404, "not-found"

    def __init__(self):
        super().__init__(_("There is no such story, or this key's products do not include it."))

    def title(self) -> str:
        return _("Not found")


class BadCursor(Problem):
    code = "bad-cursor"

    def __init__(self):
        super().__init__(_("The “since” cursor is not one this API gave out. Start again without it."))

    def title(self) -> str:
        return _("Invalid cursor")


class Invalid(Problem):
    code = "invalid-request"

    def title(self) -> str:
        return _("Invalid request")


class Unavailable(Problem):
    status, code = 503, "unavailable"

    def __init__(self):
        super().__init__(_("The newswire cannot reach its database. Try again shortly."), headers={"Retry-After": "5"})

    def title(self) -> str:
        return _("Service unavailable")


def response(problem: Problem, instance: str = "") -> HttpResponse:
    data = {
        "type": TYPE_BASE + problem.code,
        "title": problem.title(),
        "status": problem.status,
        "detail": problem.detail,
    }
    if instance:
        data["instance"] = instance
    answer = HttpResponse(
        json.dumps(data, ensure_ascii=False).encode(), status=problem.status, content_type=CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        answer[name] = value
    answer["Vary"] = "Accept-Language"
    return answer
