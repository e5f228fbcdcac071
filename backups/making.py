"""Write a backup set: the database and the media files it refers to, as of one moment.

One REPEATABLE READ transaction exports its snapshot; pg_dump dumps from that snapshot while the
same transaction counts and checksums every table and lists the media files the rows refer to. So
the dump, the manifest's figures and the media list all describe the same instant, however busy
the newsroom is. The set is written under a hidden `.partial` name and renamed when complete: a
folder named `newsroom-…` with a manifest is always a whole backup.
"""

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.utils import timezone

from . import postgres
from .manifest import DUMP, MANIFEST, MEDIA, PREFIX, BackupError, Manifest, file_entry, sha256_of, write


def make_backup(destination: Path, *, say: Callable[[str], None] = lambda message: None) -> Path:
    """Write a new backup set under `destination` and return its folder."""
    destination.mkdir(parents=True, exist_ok=True)
    with _exclusive(destination):
        _remove_leftovers(destination)
        name = PREFIX + timezone.now().strftime("%Y%m%d-%H%M%SZ")
        final = destination / name
        if final.exists():
            raise BackupError(f"{final} exists already: one backup a second at most.")
        partial = destination / f".{name}.partial"
        partial.mkdir()
        try:
            manifest = _write_set(partial, say)
            partial.rename(final)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    say(
        f"Backup {final}: {len(manifest.tables)} tables, "
        f"{sum(t['rows'] for t in manifest.tables.values())} rows, {len(manifest.media_names())} media files, "
        f"{sum(f['bytes'] for f in manifest.files.values()) / 1e6:.1f} MB."
    )
    for missing in manifest.missing_media:
        say(f"Warning: {missing} is referred to by the database but was not in media storage.")
    return final


def _write_set(folder: Path, say) -> Manifest:
    db = connection.settings_dict
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        postgres.use_stable_text(cursor, local=True)
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        skipped = _cache_tables()
        say(f"Dumping {db['NAME']}…")
        postgres.dump(db, snapshot, folder / DUMP, exclude_data=skipped)
        say("Counting and checksumming every table…")
        tables = {
            table: postgres.table_summary(cursor, table)
            for table in postgres.user_tables(cursor)
            if table not in skipped
        }
        say("Copying media files…")
        media, missing = _copy_media(cursor, folder / MEDIA)
    manifest = Manifest(
        created=timezone.now().isoformat(),
        database={"name": db["NAME"], "server_version": server_version},
        files={DUMP: file_entry(folder / DUMP), **media},
        tables=tables,
        missing_media=missing,
    )
    write(folder, manifest)
    return manifest


def _cache_tables() -> list[str]:
    """Database cache tables: their rows are disposable, so the dump keeps the table but not its data."""
    return [
        options["LOCATION"]
        for options in settings.CACHES.values()
        if options["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    ]


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def _copy_media(cursor, into: Path) -> tuple[dict[str, dict], list[str]]:
    """Copy every file a row refers to (read in the backup's snapshot) from its storage into `into`."""
    wanted: dict[str, Storage] = {}
    for model, field in _file_fields():
        cursor.execute(
            f"SELECT DISTINCT {postgres.quote(field.column)} FROM {postgres.quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {postgres.quote(field.column)} <> ''"
        )
        wanted.update({name: field.storage for (name,) in cursor.fetchall()})
    entries, missing = {}, []
    for name, storage in sorted(wanted.items()):
        # A storage that fails (rather than lacking the file) fails the backup: better no set than a
        # set that silently lacks pictures.
        if not storage.exists(name):
            missing.append(name)
            continue
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            checksum, size = sha256_of(source, copy_to=copy)
        entries[f"{MEDIA}/{name}"] = {"bytes": size, "sha256": checksum}
    return entries, missing


class _exclusive:
    """One backup at a time per destination (an overlapping cron run waits for the first)."""

    def __init__(self, destination: Path):
        self.path = destination / ".lock"

    def __enter__(self):
        self.handle = self.path.open("w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _remove_leftovers(destination: Path) -> None:
    """Partial sets of runs that died (killed, out of disk); called while holding the lock."""
    for leftover in destination.glob(f".{PREFIX}*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)


def upload(folder: Path, storage: Storage) -> int:
    """Copy a finished set to `storage` (object storage, through Django's storage API), the manifest
    last so that a set there without one is known to be incomplete. Returns the bytes sent."""
    files = sorted(path for path in folder.rglob("*") if path.is_file() and path.name != MANIFEST)
    sent = 0
    for path in [*files, folder / MANIFEST]:
        name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=path.name))
        if saved != name:
            raise BackupError(f"The backup storage already holds {name} (saved as {saved} instead).")
        sent += path.stat().st_size
    return sent


def prune(destination: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` finished sets in `destination`; returns what it deleted."""
    sets = sorted(p for p in destination.glob(f"{PREFIX}*") if p.is_dir() and (p / MANIFEST).is_file())
    doomed = sets[:-keep] if keep > 0 else []
    for folder in doomed:
        shutil.rmtree(folder)
    return doomed
