"""The hand-marked wire corpus and the parser's scores on it (see README.md)."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from articles import wire
from articles.wire.matching import name_words

HERE = Path(__file__).resolve().parent


@dataclass
class Story:
    name: str
    shape: str
    text: str
    credit: str
    dateline: str
    language: str
    parties: list[tuple[str, bool]]  # (party as the story describes it, anonymous)


def stories(held_out: bool = False) -> list[Story]:
    """The development set (the rules were tuned on it) or the held-out set (written after the
    rules were settled, never tuned on: the honest figure)."""
    found = []
    for path in sorted((HERE / "held_out" if held_out else HERE).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        found.append(
            Story(
                name=path.stem,
                shape=data["shape"],
                text=data["text"],
                credit=data.get("credit", ""),
                dateline=data.get("dateline", ""),
                language=data.get("language", "ar"),
                parties=[(item["party"], item.get("anonymous", False)) for item in data.get("attribution", [])],
            )
        )
    return found


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    anonymity_right: int = 0
    credits_right: int = 0
    datelines_right: int = 0
    stories: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def _key(text: str) -> frozenset[str]:
    return name_words(text)


def evaluate(corpus: list[Story] | None = None) -> Score:
    """Parse every story; an attribution the parser proposes (confidence at or above
    wire.PROPOSE_AT) is right when it names the marked party with the same words."""
    score = Score()
    for story in corpus or stories():
        proposal = wire.parse(story.text)
        score.stories += 1
        credit = proposal.credit.name if proposal.credit else ""
        score.credits_right += credit == story.credit
        score.datelines_right += proposal.dateline == story.dateline
        if credit != story.credit:
            score.misses.append(f"{story.name}: credit {credit!r}, marked {story.credit!r}")
        if proposal.dateline != story.dateline:
            score.misses.append(f"{story.name}: dateline {proposal.dateline!r}, marked {story.dateline!r}")
        if story.language != "ar":
            continue
        marked = {_key(party): (party, anonymous) for party, anonymous in story.parties}
        proposed = [item for item in proposal.attributions if item.confidence >= wire.PROPOSE_AT]
        matched = set()
        for item in proposed:
            key = _key(item.description)
            if key in marked and key not in matched:
                matched.add(key)
                score.true_positives += 1
                score.anonymity_right += item.is_anonymous == marked[key][1]
                if item.is_anonymous != marked[key][1]:
                    score.misses.append(f"{story.name}: anonymity of {item.description!r}")
            else:
                score.false_positives += 1
                score.misses.append(f"{story.name}: proposed {item.description!r} ({item.confidence:.2f})")
        for key, (party, _anonymous) in marked.items():
            if key not in matched:
                score.false_negatives += 1
                score.misses.append(f"{story.name}: missed {party!r}")
    return score
