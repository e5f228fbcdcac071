"""A backup set on disk and its manifest: every file with its size and SHA-256, every table with its
row count and a checksum of its rows, so a restore can prove it brought back exactly what was saved.

A set is a folder:

    newsroom-20261125-192900/
        manifest.json      written last: a folder without it is not a finished backup
        database.dump      pg_dump's custom format
        media/…            the media files the database refers to, under their storage names
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
PREFIX = "newsroom-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in one sentence."""


@dataclass
class Manifest:
    created: str
    database: dict[str, str]
    # Set-relative POSIX path → {"bytes": int, "sha256": str}
    files: dict[str, dict] = field(default_factory=dict)
    # Table → {"rows": int, "checksum": str}
    tables: dict[str, dict] = field(default_factory=dict)
    # Media names the database refers to that storage no longer had when the backup ran.
    missing_media: list[str] = field(default_factory=list)
    format: int = FORMAT

    def media_names(self) -> list[str]:
        """Storage names of the media files in the set."""
        prefix = f"{MEDIA}/"
        return sorted(path.removeprefix(prefix) for path in self.files if path.startswith(prefix))


def sha256_of(handle, copy_to=None) -> tuple[str, int]:
    """SHA-256 and length of what `handle` yields, read in chunks (files can be large); the bytes
    are also written to `copy_to` when given, so a copy is checksummed in the same pass."""
    digest, total = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        total += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest.hexdigest(), total


def file_entry(path: Path) -> dict:
    with path.open("rb") as handle:
        checksum, size = sha256_of(handle)
    return {"bytes": size, "sha256": checksum}


def safe_media_name(name: str) -> bool:
    """A storage name that stays inside the media folder (a manifest may have been tampered with)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def write(folder: Path, manifest: Manifest) -> None:
    target = folder / MANIFEST
    partial = folder / (MANIFEST + ".partial")
    partial.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(target)


def read(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a finished backup set: it has no {MANIFEST}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} cannot be read: {error}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise BackupError(f"{path} has format {found!r}; this version reads format {FORMAT}.")
    try:
        return Manifest(**data)
    except TypeError as error:
        raise BackupError(f"{path} is not a manifest this version understands: {error}.") from None


def problems(folder: Path, manifest: Manifest) -> list[str]:
    """Every way the files on disk differ from the manifest; empty when the set is whole."""
    found = []
    if DUMP not in manifest.files:
        found.append(f"the manifest lists no {DUMP}")
    for relative, expected in sorted(manifest.files.items()):
        if relative.startswith(f"{MEDIA}/") and not safe_media_name(relative.removeprefix(f"{MEDIA}/")):
            found.append(f"{relative}: not a safe media name")
            continue
        path = folder / relative
        if not path.is_file():
            found.append(f"{relative}: missing")
            continue
        actual = file_entry(path)
        if actual != {"bytes": expected["bytes"], "sha256": expected["sha256"]}:
            found.append(f"{relative}: checksum differs from the manifest")
    return found
