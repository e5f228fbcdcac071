"""The site's stylesheet: AA contrast of the palette, logical properties only, fonts and their licence.

axe-core skips shaped Arabic text when it checks contrast, so the palette is checked here, from the
custom properties the pages use.
"""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
CSS = (STATIC / "css" / "site.css").read_text(encoding="utf-8")


def palette() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# Every text colour on every background it is used on.
PAIRS = [
    ("ink", "paper"),
    ("ink", "paper-shade"),
    ("ink-muted", "paper"),
    ("ink-muted", "paper-shade"),
    ("link", "paper"),
    ("link", "paper-shade"),
    ("accent", "paper"),
    ("accent", "paper-shade"),
    ("accent-ink", "accent"),
    ("accent-ink", "breaking"),
    ("correction-ink", "correction"),
]


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_meet_wcag_aa(text, background):
    colours = palette()
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"--{text} on --{background} is {ratio:.2f}:1, below 4.5:1"


def test_focus_ring_is_visible_against_the_page():
    colours = palette()
    assert contrast(colours["focus"], colours["paper"]) >= 3


PHYSICAL = re.compile(
    r"(?<![\w-])(margin|padding|border)-(left|right|top|bottom)\b|(?<![\w-])(left|right|top|bottom)\s*:"
    r"|text-align:\s*(left|right)|float:\s*(left|right)|(?<![\w-])(min-|max-)?(width|height)\s*:"
)


@pytest.mark.parametrize("sheet", ["site.css", "print.css"])
def test_stylesheets_use_logical_properties_only(sheet):
    text = (STATIC / "css" / sheet).read_text(encoding="utf-8")
    # Media query conditions are about the viewport, not layout direction.
    declarations = re.sub(r"@media[^{]*", "", text)
    assert not PHYSICAL.findall(declarations), PHYSICAL.findall(declarations)


def test_body_text_is_sized_and_spaced_for_arabic():
    body = re.search(r"\nbody\s*{(.*?)}", CSS, re.S).group(1)
    size = float(re.search(r"font-size:\s*([\d.]+)rem", body).group(1)) * 16
    height = float(re.search(r"line-height:\s*([\d.]+)", body).group(1))
    assert 18 <= size <= 20 and 1.7 <= height <= 1.9


def test_every_font_the_css_names_is_self_hosted_with_its_licence():
    files = re.findall(r"url\(\.\./fonts/([^)]+)\)", CSS)
    assert files, "no @font-face"
    for name in files:
        assert (STATIC / "fonts" / name).is_file(), name
    assert sorted(p.name for p in (STATIC / "fonts").glob("OFL*.txt")) == [
        "OFL-noto-kufi-arabic.txt",
        "OFL-noto-naskh-arabic.txt",
    ]
    assert "SIL Open Font License" in (STATIC / "fonts" / "OFL-noto-naskh-arabic.txt").read_text()
    assert not re.search(r"url\((https?:)?//", CSS), "fonts come from our own server"
