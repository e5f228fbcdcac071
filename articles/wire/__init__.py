"""Wire copy: from agency text (pasted, .txt or .docx) to a proposed draft, and from an accepted proposal to one.

`read_upload()` turns file bytes into text, `parse()` turns text into a `WireProposal` that a
journalist adjusts, and `create_draft()` writes the accepted proposal as a draft in one
transaction. Sources the registry lacks wait on the draft as `SourceProposal`s until someone
confirms or merges them (`confirmation.resolve()`). Nothing here trusts the input: every failure
is a `WireError` with a message in the user's language, and `create_draft()` either creates the
whole story or nothing.

The house style (see the sample in articles/demo/): an agency credit and a dash open the first
paragraph, one paragraph per line, and short lines without closing punctuation are subheadings.

Modules depend in one direction: `proposal` (the data) ← `typography`, `uploads`, `matching` ←
`vocabulary` (word lists) ← `attributions` ← `parser` ← `drafts` ← `confirmation`. Callers use the names below.
"""

from .attributions import find_attributions
from .confirmation import resolve
from .drafts import create_draft
from .parser import MAX_TEXT_CHARS, parse
from .proposal import AttributionProposal, CreditProposal, Reason, WireError, WireProposal
from .typography import Cleanup, clean
from .uploads import MAX_UPLOAD_BYTES, check_upload_size, read_upload
from .vocabulary import MIN_CONFIDENCE, PROPOSE_AT

__all__ = [
    "MAX_TEXT_CHARS",
    "MAX_UPLOAD_BYTES",
    "MIN_CONFIDENCE",
    "PROPOSE_AT",
    "AttributionProposal",
    "Cleanup",
    "CreditProposal",
    "Reason",
    "WireError",
    "WireProposal",
    "check_upload_size",
    "clean",
    "create_draft",
    "find_attributions",
    "parse",
    "read_upload",
    "resolve",
]
