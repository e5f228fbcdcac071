"""Rebuild a database and the media from a backup set, and prove the result matches the backup.

Order matters: the whole set is checked against its manifest before anything is touched; the
target database must be new or empty (or the operator said --force); after pg_restore every table's
row count and checksum is compared with the manifest; only then are the media files written.
"""

from collections.abc import Callable
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage

from . import postgres
from .manifest import DUMP, MANIFEST, MEDIA, PREFIX, BackupError, Manifest, problems, read, safe_media_name, sha256_of


def check(folder: Path) -> Manifest:
    """The set's manifest, once every file in the set matches it."""
    manifest = read(folder)
    found = problems(folder, manifest)
    if found:
        more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
        raise BackupError(f"The backup set {folder} is damaged: {'; '.join(found[:5])}{more}. Nothing was restored.")
    return manifest


def restore_database(folder: Path, manifest: Manifest, db: dict, *, force: bool, jobs: int) -> None:
    postgres.prepare_target(db, force=force)
    postgres.restore(folder / DUMP, db, jobs)
    differences = compare(db, manifest)
    if differences:
        raise BackupError(f"The restored database {db['NAME']} differs from the backup: {'; '.join(differences[:5])}.")


def compare(db: dict, manifest: Manifest) -> list[str]:
    """Tables whose row count or content checksum differs from the manifest's."""
    differences = []
    with postgres.connect(db) as conn, conn.cursor() as cursor:
        postgres.use_stable_text(cursor, local=False)
        present = set(postgres.user_tables(cursor))
        for table, expected in sorted(manifest.tables.items()):
            if table not in present:
                differences.append(f"{table} is missing")
                continue
            actual = postgres.table_summary(cursor, table)
            if actual["rows"] != expected["rows"]:
                differences.append(f"{table} has {actual['rows']} rows, the backup {expected['rows']}")
            elif actual["checksum"] != expected["checksum"]:
                differences.append(f"{table}'s rows differ from the backup's")
    return differences


def restore_media(folder: Path, manifest: Manifest, storage: Storage) -> tuple[int, int]:
    """Write the set's media files to `storage` under their names; a file already there with the
    same content is left alone. Returns (written, unchanged)."""
    written = unchanged = 0
    for name in manifest.media_names():
        expected = manifest.files[f"{MEDIA}/{name}"]["sha256"]
        if storage.exists(name):
            with storage.open(name, "rb") as current:
                if sha256_of(current)[0] == expected:
                    unchanged += 1
                    continue
            storage.delete(name)
        with (folder / MEDIA / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=Path(name).name))
        if saved != name:
            raise BackupError(f"Media storage saved {name} as {saved}: another process is writing the same names.")
        written += 1
    return written, unchanged


def download(storage: Storage, name: str, into: Path, say: Callable[[str], None] = lambda message: None) -> Path:
    """Fetch the set `name` from backup storage into `into`, for `check` and the restore."""
    if not name.startswith(PREFIX) or name != Path(name).name:
        raise BackupError(f"{name!r} is not the name of a backup set (newsroom-YYYYMMDD-HHMMSSZ).")
    folder = into / name
    folder.mkdir(parents=True)
    _fetch(storage, f"{name}/{MANIFEST}", folder / MANIFEST)
    manifest = read(folder)
    say(f"Downloading {len(manifest.files)} files of {name}…")
    for relative in manifest.files:
        media = relative.removeprefix(f"{MEDIA}/")
        if relative != DUMP and not (relative.startswith(f"{MEDIA}/") and safe_media_name(media)):
            raise BackupError(f"The manifest of {name} names an unsafe path: {relative}.")
        _fetch(storage, f"{name}/{relative}", folder / relative)
    return folder


def _fetch(storage: Storage, name: str, target: Path) -> None:
    if not storage.exists(name):
        raise BackupError(f"The backup storage has no {name}.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with storage.open(name, "rb") as source, target.open("wb") as copy:
        sha256_of(source, copy_to=copy)
