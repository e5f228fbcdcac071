"""What the parser proposes: the data a journalist adjusts before it becomes a draft."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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


@dataclass
class AttributionProposal:
    """A party the story cites: how the text names it, and the Source it stands for (or a new one)."""

    description: str
    source: Source | None = None
    new_source_name: str = ""
    is_anonymous: bool = False
    sentences: list[str] = field(default_factory=list)


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

    def accept(self, **changes) -> WireProposal:
        """The proposal as the journalist adjusted it (a copy; the parse stays as it was)."""
        return replace(self, **changes)
