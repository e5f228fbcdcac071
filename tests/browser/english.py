"""Finding English a person would meet on an Arabic page.

`english_on_page(page)` reads what the page shows or says: text (hidden parts included, since a
menu or a dialog shows them on a click), the page title, and the `title`, `placeholder`,
`aria-label` and `alt` of every element, the labels of buttons, and the options of drop-down
menus. It returns each string holding a Latin word, except:

- text inside an element marked with another language (`lang="en"`: the English translation of
  a story, or a language's own name) and text the person typed (fields' values are not read);
- addresses (URLs, e-mail, file names) and Latin digits;
- the few words that are names on purpose, in ALLOWED (file formats, keys of the keyboard).
"""

import re

ALLOWED = {
    # File formats the upload help and the exports name.
    "jpeg", "jpg", "png", "webp", "gif", "txt", "docx", "utf", "csv",
    # Keyboard keys Django's multiple-choice help names ("Control" or "Command" on a Mac).
    "control", "command",
}  # fmt: skip

_ADDRESSES = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|\S+\.(?:jpe?g|png|webp|gif|txt|docx)\b|/[\w/.-]+", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]{2,}")

_COLLECT = """
() => {
  const found = [];
  const foreign = (element) => {
    const marked = element.closest("[lang]");
    return marked && !marked.getAttribute("lang").toLowerCase().startsWith("ar");
  };
  const skipped = (element) =>
    !element || element.closest("script, style, noscript, template") || foreign(element) ||
    // Material icons are ligatures ("format_bold" draws a B): their words are never read.
    element.closest(".material-icons");
  found.push(["title", document.title]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && !skipped(node.parentElement) && !node.parentElement.closest("textarea, select")) {
      found.push(["text", text]);
    }
  }
  for (const element of document.body.querySelectorAll("*")) {
    for (const attribute of ["title", "placeholder", "aria-label", "alt"]) {
      const value = element.getAttribute(attribute);
      if (value && value.trim() && !foreign(element)) {
        found.push([attribute, value.trim()]);
      }
    }
    if (element.matches("input[type=submit], input[type=button], input[type=reset]") && !foreign(element)) {
      found.push(["button", element.value]);
    }
    if (element.matches("select option") && !skipped(element)) {
      found.push(["option", element.textContent.trim()]);
    }
  }
  return found;
}
"""


def english_words(text: str, also_allowed=()) -> list[str]:
    allowed = ALLOWED | {word.casefold() for word in also_allowed}
    text = _ADDRESSES.sub(" ", text)
    return [word for word in _WORD.findall(text) if word.casefold() not in allowed]


def english_on_page(page, also_allowed=()) -> list[str]:
    """Each "where: string" on the page that holds an English word, once."""
    problems = []
    for where, text in page.evaluate(_COLLECT):
        if english_words(text, also_allowed):
            entry = f"{where}: {text[:120]}"
            if entry not in problems:
                problems.append(entry)
    return problems
