"""House typography for wire copy, and a report of every repair made."""

import re
from dataclasses import dataclass

from django.utils.translation import ngettext_lazy


@dataclass
class Cleanup:
    """One kind of typographic repair and how many times it was made."""

    kind: str
    count: int

    LABELS = {
        "bom": ngettext_lazy("Removed %(count)d byte-order mark", "Removed %(count)d byte-order marks", "count"),
        "line_endings": ngettext_lazy(
            "Turned %(count)d Windows line ending into a plain one",
            "Turned %(count)d Windows line endings into plain ones",
            "count",
        ),
        "whitespace": ngettext_lazy(
            "Tidied the spacing of %(count)d line", "Tidied the spacing of %(count)d lines", "count"
        ),
        "tatweel": ngettext_lazy(
            "Removed %(count)d stray tatweel (ـ)", "Removed %(count)d stray tatweels (ـ)", "count"
        ),
        "latin_commas": ngettext_lazy(
            "Replaced %(count)d Latin comma between Arabic words with ،",
            "Replaced %(count)d Latin commas between Arabic words with ،",
            "count",
        ),
        "control": ngettext_lazy(
            "Removed %(count)d invisible control character", "Removed %(count)d invisible control characters", "count"
        ),
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.kind] % {"count": self.count}


TATWEEL = "\u0640"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
ARABIC_CHAR = "\u0621-\u063a\u0641-\u064a\u064b-\u065f\u0670-\u06d3"
_TATWEEL_RUN = re.compile(f"{TATWEEL}+")
# "بـ 20 دولارًا", "لـ CNN": one tatweel keeps a one-letter preposition apart from a number or a
# Latin name. Every other tatweel only stretches a word ("قـــال") and goes.
_DETACHED_PREPOSITION = re.compile(f"(?:^|(?<=\\s))[بلكوف]{TATWEEL}+(?![{ARABIC_CHAR}])")
_LATIN_COMMA = re.compile(f"(?<=[{ARABIC_CHAR}])\\s*,\\s*(?=[{ARABIC_CHAR}])")


def _strip_tatweel(text: str) -> tuple[str, int]:
    kept = {match.end() - 1 for match in _DETACHED_PREPOSITION.finditer(text)}
    removed = 0

    def strip(match: re.Match) -> str:
        nonlocal removed
        keep = match.end() - 1 in kept
        removed += len(match.group()) - keep
        return TATWEEL if keep else ""

    return _TATWEEL_RUN.sub(strip, text), removed


def clean(text: str) -> tuple[str, list[Cleanup]]:
    """House typography, and a count of every kind of change made to get there."""
    counts: dict[str, int] = {}

    def note(kind: str, count: int) -> None:
        if count:
            counts[kind] = counts.get(kind, 0) + count

    note("bom", text.count("\ufeff"))
    text = text.replace("\ufeff", "")
    note("line_endings", text.count("\r\n"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, n = _CONTROL.subn("", text)
    note("control", n)
    text, n = _strip_tatweel(text)
    note("tatweel", n)
    # Quotation marks stay as the agency wrote them: «…», “…” and "…" are all house style somewhere.
    text, n = _LATIN_COMMA.subn("، ", text)
    note("latin_commas", n)
    lines = []
    for line in text.split("\n"):
        tidy = _SPACES.sub(" ", line).strip()
        note("whitespace", tidy != line)
        lines.append(tidy)
    text = "\n".join(lines).strip("\n")
    return text, [Cleanup(kind, count) for kind, count in counts.items()]
