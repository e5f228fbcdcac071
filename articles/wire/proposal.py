"""What the parser proposes: the data a journalist adjusts before it becomes a draft."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from ..models import Source
from .typography import Cleanup


class WireError(ValueError):
    """Input that cannot become a draft. `message` is for the person who gave it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class CreditProposal:
    """The outlet a story is credited to: an existing Source, or the name of a new one."""

    name: str
    source: Source | None = None
    name_en: str = ""
    confirmed: bool = False  # a new source a person chose to add to the registry


@dataclass(frozen=True)
class Reason:
    """One reason the parser believes (or doubts) an attribution; `detail` is the word it saw."""

    code: str
    detail: str = ""

    LABELS = {
        "verb_first": _("the speech verb «%(detail)s» comes before the party"),
        "subject_first": _("the party is named before the speech verb «%(detail)s»"),
        "apposition": _("a name and a title set apart by commas"),
        "reported": _("reported speech: «%(detail)s»"),
        "relayed": _("the outlet's own source («%(detail)s … عن»)"),
        "colon": _("the line opens with the party and a colon («%(detail)s:»)"),
        "registry_exact": _("matches the existing source «%(detail)s»"),
        "registry_partial": _("shares its name with the existing source «%(detail)s»"),
        "named_earlier": _("named more than once in the story"),
        "title": _("opens with a title or a body («%(detail)s»)"),
        "unnamed": _("describes a person without naming them («%(detail)s»): anonymous"),
        "asked_anonymity": _("asked not to be named («%(detail)s»)"),
        "time_or_place": _("looks like a time or a circumstance («%(detail)s»), not a party"),
        "first_person": _("reads like speech, not a party («%(detail)s»)"),
        "preposition": _("starts with a preposition («%(detail)s»)"),
        "not_an_agent": _("names a thing or an event, not someone who speaks («%(detail)s»)"),
        "long": _("a long phrase (%(detail)s words): check where the name ends"),
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.code] % {"detail": self.detail}

    @property
    def doubts(self) -> bool:
        return self.code in DOUBTS


DOUBTS = {"time_or_place", "first_person", "preposition", "not_an_agent", "long"}


@dataclass
class AttributionProposal:
    """A party the story cites: how the text names it, the Source it stands for (or a new one),
    how sure the parser is (0–1) and why."""

    description: str
    source: Source | None = None
    new_source_name: str = ""
    is_anonymous: bool = False
    sentences: list[str] = field(default_factory=list)
    confidence: float = 1.0
    reasons: list[Reason] = field(default_factory=list)
    kind: str = Source.Kind.ORGANISATION
    new_source_name_en: str = ""
    confirmed: bool = False  # a new source a person chose to add to the registry

    @property
    def confidence_percent(self) -> int:
        return round(self.confidence * 100)


@dataclass
class WireProposal:
    credit: CreditProposal | None
    dateline: str
    headline: str
    summary: str
    body_html: str
    paragraphs: list[str]
    subheadings: list[str]
    tags: list[str]
    attributions: list[AttributionProposal]
    cleanup: list[Cleanup]
    text: str  # the cleaned text the proposal was read from
    deck: str = ""
    is_breaking: bool = False  # the copy was marked urgent ("عاجل")
    tag_names_en: dict[str, str] = field(default_factory=dict)  # {Arabic tag name: English name}

    def accept(self, **changes) -> WireProposal:
        """The proposal as the journalist adjusted it (a copy; the parse stays as it was)."""
        return replace(self, **changes)
