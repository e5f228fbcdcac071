"""`manage.py restore`: rebuild a database and the media from a backup set, and check the result."""

import os
import tempfile
import time
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections

from backups import restoring
from backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup set made by `manage.py backup` into a new or empty database (created when missing) "
        "and the media storage. The set is checked against its manifest first, and the restored tables "
        "against the manifest's row counts and checksums afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A backup set's folder, or with --from-storage a set's name.")
        parser.add_argument(
            "--from-storage", action="store_true", help="Download the set from the backup storage (BACKUP_STORAGE)."
        )
        parser.add_argument(
            "--database-url",
            metavar="URL",
            help="Restore into this database instead of the configured one; it is created when missing.",
        )
        parser.add_argument("--force", action="store_true", help="Replace whatever a non-empty target database holds.")
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(4, os.cpu_count() or 1),
            metavar="N",
            help="Parallel pg_restore connections (default: the CPU count, at most 4).",
        )

    def handle(self, *args, backup, from_storage, database_url, force, no_media, jobs, **options):
        started = time.monotonic()
        try:
            if from_storage:
                if "backups" not in settings.STORAGES:
                    raise BackupError("No backup storage is configured (BACKUP_STORAGE).")
                with tempfile.TemporaryDirectory(prefix="newsroom-restore-") as scratch:
                    folder = restoring.download(storages["backups"], backup, Path(scratch), say=self.stdout.write)
                    self.restore(folder, database_url, force, no_media, jobs)
            else:
                self.restore(Path(backup), database_url, force, no_media, jobs)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except (DatabaseError, psycopg.Error) as error:
            raise CommandError(f"The database could not be restored: {error}".strip()) from None
        self.stdout.write(self.style.SUCCESS(f"Restored in {time.monotonic() - started:.1f} s."))

    def restore(self, folder: Path, database_url, force, no_media, jobs):
        manifest = restoring.check(folder)
        self.stdout.write(f"{folder.name}: {len(manifest.files)} files match the manifest.")
        db = dj_database_url.parse(database_url) if database_url else dict(connection.settings_dict)
        if not database_url:
            # Our own idle connections would hold the schema that --force drops.
            connections.close_all()
        self.stdout.write(f"Restoring the database into {db['NAME']}…")
        restoring.restore_database(folder, manifest, db, force=force, jobs=jobs)
        self.stdout.write(f"{len(manifest.tables)} tables restored; row counts and checksums match the backup.")
        if not no_media:
            written, unchanged = restoring.restore_media(folder, manifest, default_storage)
            self.stdout.write(f"Media: {written} files written, {unchanged} already in place.")
        if not database_url:
            # Pages cached from the database as it was before must not outlive it.
            from articles import cache

            cache.invalidate_all()
