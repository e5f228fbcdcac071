"""The story body's rich text: one allowlist for the editor and for the server.

Journalists get paragraphs, h2/h3 subheadings, bold, italic, links, lists and quotes. The editor
(django-prose-editor) offers exactly these, and `sanitize()` enforces the same set with nh3
whatever reaches the server (a forged POST, an import, an API client).
"""

import nh3
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

EXTENSIONS = {
    "Paragraph": True,
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "History": True,
    # django-prose-editor turns the browser's spellcheck off by default; journalists want it.
    "NoSpellCheck": False,
}

_allowlist = allowlist_from_extensions(expand_extensions(EXTENSIONS))
_cleaner = nh3.Cleaner(
    tags=_allowlist["tags"],
    # rel is set by nh3 itself (link_rel), never taken from the input.
    attributes={tag: attrs - {"rel", "target"} for tag, attrs in _allowlist["attributes"].items()},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)


def sanitize(html: str) -> str:
    """Keep only the allowed tags and attributes; an editor's empty paragraph becomes ''."""
    cleaned = _cleaner.clean(html or "").strip()
    return "" if cleaned in {"", "<p></p>", "<p><br></p>"} else cleaned
