"""The API's typed schemas: the part of ninjs 2.2 the agency sends, pages, and problem details.

They generate the OpenAPI document; the items themselves are stored ready to send and are
checked against the official ninjs 2.2 JSON Schema in the tests. Every model forbids fields it
does not name, as ninjs does.
"""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Text(Strict):
    role: str | None = None
    contenttype: str | None = None
    value: str


class Body(Text):
    charcount: int | None = None
    wordcount: int | None = None


class Subject(Strict):
    name: str | None = None
    rel: str | None = None
    uri: str | None = None
    literal: str | None = None


class InfoSource(Strict):
    name: str | None = None
    role: str | None = None
    uri: str | None = None
    literal: str | None = None


class AltId(Strict):
    role: str | None = None
    value: str | None = None


class Rendition(Strict):
    name: str
    href: str | None = None
    contenttype: str | None = None
    width: int | None = None
    height: int | None = None
    sizeinbytes: int | None = None
    aspectratio: str | None = None


class Standard(Strict):
    name: str | None = None
    version: str | None = None


class Picture(Strict):
    """An associated picture (the story's lead image)."""

    name: str
    uri: str
    type: Literal["picture"]
    by: str | None = None
    copyrightnotice: str | None = None
    descriptions: list[Text] | None = None
    renditions: list[Rendition] | None = None


class NinjsItem(Strict):
    """One version of one story in one language, in IPTC ninjs 2.2."""

    uri: str = Field(description="The story's identity in this language; the same for every version.")
    type: Literal["text"]
    representationtype: Literal["full", "partial"] | None = None
    standard: Standard | None = None
    version: str = Field(description="Counts the versions subscribers received: 1, then one more per update or kill.")
    firstcreated: datetime | None = None
    versioncreated: datetime
    embargoed: datetime | None = Field(None, description="Not to be published before this time.")
    pubstatus: Literal["usable", "withheld", "canceled"] = Field(description="canceled: the story was killed.")
    urgency: int = Field(ge=1, le=9, description="IPTC urgency: 1 flash, 3 urgent, 5 normal.")
    language: str
    copyrightholder: str | None = None
    copyrightnotice: str | None = None
    altids: list[AltId] | None = None
    headlines: list[Text] | None = None
    descriptions: list[Text] | None = None
    bodies: list[Body] | None = None
    by: str | None = None
    located: str | None = None
    slugline: str | None = None
    subjects: list[Subject] | None = None
    infosources: list[InfoSource] | None = None
    renditions: list[Rendition] | None = None
    associations: list[Picture] | None = None
    ednote: str | None = None


class ItemPage(Strict):
    items: list[NinjsItem]
    next: str = Field(description="Pass as `since` on the next request, however many items this page had.")
    more: bool = Field(description="More items are waiting: ask again at once.")


class VersionList(Strict):
    items: list[NinjsItem] = Field(description="Every version this key may read, oldest first.")


class Problem(Strict):
    """An error, as RFC 9457 problem details, in the language asked for (Arabic or English)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
