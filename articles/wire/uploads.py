"""Uploaded wire copy: .txt in whatever encoding it came in, or .docx, to text."""

import io
import re
import zipfile

from charset_normalizer import from_bytes
from django.utils.translation import gettext_lazy as _

from .proposal import WireError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Expanded size of a .docx's parts: a small upload must not inflate into gigabytes.
MAX_DOCX_EXPANDED_BYTES = 20 * 1024 * 1024
UPLOAD_EXTENSIONS = (".txt", ".docx")


def read_upload(data: bytes, filename: str = "") -> tuple[str, str]:
    """The text of an uploaded .txt or .docx file and the encoding it was read as.

    Text files may be UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1256, the
    legacy Arabic encoding of older newsroom software; anything else is detected if it can be, or
    refused with a message that says how to save the file instead.
    """
    name = (filename or "").lower()
    check_upload_size(len(data))
    if name and not name.endswith(UPLOAD_EXTENSIONS):
        if name.endswith(".doc"):
            raise WireError(_("Old Word (.doc) files cannot be read. Save the file as .docx or .txt and try again."))
        raise WireError(_("Upload a .txt or .docx file."))
    if not data.strip():
        raise WireError(_("The file is empty."))
    if name.endswith(".docx") or data.startswith(b"PK\x03\x04"):
        return _read_docx(data), "docx"
    return _decode_text(data)


def check_upload_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise WireError(
            _("The file is too large (%(size)s); wire copy files may be at most %(limit)s.")
            % {"size": _megabytes(size), "limit": _megabytes(MAX_UPLOAD_BYTES)}
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_docx(data: bytes) -> str:
    from docx import Document

    unreadable = WireError(_("This .docx file could not be read. Open it in Word, save it again and retry."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_EXPANDED_BYTES:
                raise WireError(_("This .docx file holds too much to be wire copy."))
            if "word/document.xml" not in archive.namelist():
                raise unreadable
        document = Document(io.BytesIO(data))
    except WireError:
        raise
    except Exception as error:  # python-docx raises many kinds for broken files; all mean the same here.
        raise unreadable from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    # The UTF-8 mark stays in the text, so that the clean-up reports removing it.
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
]
ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_ALLOWED_CHARS = re.compile(
    "[\\s\u0020-\u007e\u00a0-\u017f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f\u20ac\ufb50-\ufdff\ufe70-\ufeff]"
)


def _decode_text(data: bytes) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return _plausible(data.decode(codec)), label
            except UnicodeDecodeError as error:
                raise not_text_error() from error
    if b"\x00" in data:
        # Text never holds zero bytes, except UTF-16 without a byte-order mark, where they fall
        # on one side of each space and Latin letter (Arabic UTF-16 is even valid UTF-8).
        codecs = ["utf-16-le", "utf-16-be"]
        if data[0::2].count(0) > data[1::2].count(0):
            codecs.reverse()
        for codec in codecs:
            try:
                return _plausible(data.decode(codec)), "UTF-16"
            except (UnicodeDecodeError, WireError):
                continue
        raise not_text_error()
    try:
        return _plausible(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data).best()
    if guess is not None and looks_like_text(str(guess)) and ARABIC_LETTER.search(str(guess)):
        return str(guess), _encoding_label(guess.encoding)
    # Short Arabic files defeat statistical detection; Windows-1256 is what the newsroom's
    # older software writes, so try it before giving up.
    windows = data.decode("cp1256", errors="replace")
    if looks_like_text(windows) and ARABIC_LETTER.search(windows):
        return windows, "Windows-1256"
    if guess is not None and looks_like_text(str(guess)):
        return str(guess), _encoding_label(guess.encoding)
    if not looks_like_text(windows):
        raise not_text_error()
    raise WireError(
        _("The file's encoding could not be recognised. Save it as UTF-8 text (or .docx) and upload it again.")
    )


def _encoding_label(codec: str) -> str:
    return {"cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6", "utf_8": "UTF-8"}.get(codec, codec)


def not_text_error() -> WireError:
    return WireError(_("This does not look like text: it may be an image or another binary file."))


def looks_like_text(text: str) -> bool:
    """Mostly letters of the scripts wire copy uses, with spaces between words."""
    if not text.strip():
        return True  # emptiness gets its own message later
    sample = text[:20_000]
    allowed = len(_ALLOWED_CHARS.findall(sample))
    spaces = sum(1 for char in sample if char.isspace())
    letters = sum(1 for char in sample if char.isalpha())
    return allowed >= 0.95 * len(sample) and letters > 0 and (len(sample) < 40 or spaces >= 0.03 * len(sample))


def _plausible(text: str) -> str:
    if not looks_like_text(text.lstrip("\ufeff")):
        raise not_text_error()
    return text
