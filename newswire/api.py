"""The subscriber API, `/api/v1/`: items in IPTC ninjs 2.2, polled with a cursor.

Every request carries `Authorization: Bearer <key>`; the key's subscriber gets exactly what its
products allow (`selection`). Answers carry an ETag (a repeat answers 304), keys are limited to
NEWSWIRE_RATE_LIMIT requests a minute (429 with Retry-After), and errors are RFC 9457 problem
details in Arabic or English. The OpenAPI 3.1 document is generated from these functions.
"""

import hashlib
import json
import re
from typing import Literal

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from . import keys, problems, ratelimit, selection
from .models import ApiKey, ItemVersion
from .schemas import ItemPage, NinjsItem, Problem, VersionList

MAX_ID = 2**63 - 1
# A cursor is opaque to clients: "c1." and a position in base 36. Twelve digits stay below 2⁶³.
CURSOR_PREFIX = "c1."
CURSOR_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CURSOR_PATTERN = re.compile(r"^c1\.[0-9a-z]{1,12}$")
# Query parameters that clients put keys in; a key there is refused, never used.
KEY_PARAMETERS = {"key", "api_key", "apikey", "token", "access_token", "authorization"}
ERRORS = {400: Problem, 401: Problem, 429: Problem, 503: Problem}


class KeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`, counted against the key's rate limit before anything else."""

    def __call__(self, request) -> ApiKey | None:
        if KEY_PARAMETERS & {name.lower() for name in request.GET}:
            raise problems.KeyInAddress()
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        wait = ratelimit.wait_needed(keys.digest(token)[:32])
        if wait is not None:
            raise problems.RateLimited(wait, settings.NEWSWIRE_RATE_LIMIT)
        return keys.authenticate(token)

    def authenticate(self, request, token):  # the work is in __call__
        return None


class NewswireAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Error answers are documented as application/problem+json, which is what they are."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema["paths"].values():
            for operation in path.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.CONTENT_TYPE: content["application/json"]}
        return schema


api = NewswireAPI(
    title="Telescope Newswire",
    version="1",
    description=(
        "Stories of Telescope News Agency for subscriber outlets, as IPTC ninjs 2.2 items. "
        "Poll `/items?since=<next>` with the `next` of the previous answer: every released version "
        "arrives once, in order, even while stories are published concurrently."
    ),
    urls_namespace="newswire",
    auth=KeyAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(problems.Problem)
def on_problem(request, error: problems.Problem):
    return problems.response(error, request.path)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, error):
    return problems.response(problems.NotAuthenticated(), request.path)


@api.exception_handler(ValidationError)
def on_invalid(request, error: ValidationError):
    detail = "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', [])[1:])}: {item.get('msg', '')}" for item in error.errors
    )
    return problems.response(problems.Invalid(detail), request.path)


@api.exception_handler(DatabaseError)
def on_database_down(request, error):
    return problems.response(problems.Unavailable(), request.path)


def encode_cursor(sequence: int) -> str:
    digits, value = "", sequence
    while True:
        value, digit = divmod(value, 36)
        digits = CURSOR_DIGITS[digit] + digits
        if not value:
            return CURSOR_PREFIX + digits


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not CURSOR_PATTERN.fullmatch(cursor):
        raise problems.BadCursor()
    return int(cursor.removeprefix(CURSOR_PREFIX), 36)


def only(request, *names: str) -> None:
    """Refuse parameters the operation does not take: a misspelt `sinse=` must not pass unnoticed."""
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        raise problems.Invalid(_("Unknown parameter: %(names)s") % {"names": ", ".join(unknown) or "''"})


def answer(request, data: dict) -> HttpResponse:
    """JSON with an ETag; a request that already holds this exact answer gets 304."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    held = {tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")}
    response = HttpResponseNotModified() if etag in held else HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Private to the key that asked: no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Accept-Language"
    return response


@api.get(
    "/items",
    url_name="items",
    response={200: ItemPage, 304: None, **ERRORS},
    summary="New and changed items since a cursor",
    description=(
        "Items in the order they were released, at most `limit` at a time. Keep the `next` of each "
        "answer and send it as `since`; without `since` the list starts from the first item. An "
        "item appears again only as a new version (an update, or a kill notice with pubstatus "
        "canceled). Embargoed items carry `embargoed`: do not publish them before that time."
    ),
)
def items(
    request,
    since: str | None = Query(
        None, pattern=CURSOR_PATTERN.pattern, description="The `next` of the previous answer (opaque)."
    ),
    limit: int = Query(50, ge=1, le=200),
):
    only(request, "since", "limit")
    cursor = decode_cursor(since)
    products = selection.products_of(request.auth.subscriber)
    # Read the highest number first: every version numbered up to it has committed (numbers are
    # handed out in commit order), so an answer that stops short of `limit` has seen them all.
    high = ItemVersion.objects.aggregate(high=Max("sequence"))["high"] or 0
    rows = list(
        selection.released_for(products)
        .filter(sequence__gt=cursor, sequence__lte=high)
        .values_list("sequence", "item")[:limit]
    )
    more = len(rows) == limit
    following = rows[-1][0] if more else max(high, cursor)
    page = {"items": [item for _sequence, item in rows], "next": encode_cursor(following), "more": more}
    return answer(request, page)


def _versions(request, item_id: int, lang: str | None):
    found = selection.released_for(selection.products_of(request.auth.subscriber)).filter(article_id=item_id)
    if lang:
        found = found.filter(language=lang)
    return found


@api.get(
    "/items/{item_id}",
    url_name="item",
    response={200: NinjsItem, 304: None, 404: Problem, **ERRORS},
    summary="The latest version of one story",
    description=(
        "A killed story answers with its kill notice (pubstatus canceled). Arabic unless `lang` says otherwise."
    ),
)
def item(
    request,
    item_id: int = Path(..., ge=1, le=MAX_ID),
    lang: Literal["ar", "en"] | None = Query(None),
):
    only(request, "lang")
    latest = _versions(request, item_id, lang).order_by("-version", "language").values_list("item", flat=True).first()
    if latest is None:
        raise problems.NotFound()
    return answer(request, latest)


@api.get(
    "/items/{item_id}/versions",
    url_name="versions",
    response={200: VersionList, 304: None, 404: Problem, **ERRORS},
    summary="Every version of one story",
    description=(
        "Oldest first, in one language (Arabic unless `lang` says otherwise). A killed story has only its kill notice."
    ),
)
def versions(
    request,
    item_id: int = Path(..., ge=1, le=MAX_ID),
    lang: Literal["ar", "en"] | None = Query(None),
):
    only(request, "lang")
    found = _versions(request, item_id, lang)
    language = lang or found.order_by("language").values_list("language", flat=True).first()
    rows = list(found.filter(language=language).order_by("version").values_list("item", flat=True))
    if not rows:
        raise problems.NotFound()
    return answer(request, {"items": rows})
