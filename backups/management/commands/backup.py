"""`manage.py backup`: the database and its media files as one set, with a manifest of checksums."""

import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups import making
from backups.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the media files it refers to, as of one moment, "
        "into a new folder with a manifest of checksums; also to object storage when BACKUP_STORAGE is set. "
        "Prints the new folder on its last line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination", nargs="?", type=Path, help="Folder that receives the set (default: BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep", type=int, default=0, metavar="N", help="Then delete all but the newest N sets in that folder."
        )

    def handle(self, *args, destination=None, keep=0, **options):
        started = time.monotonic()
        destination = destination or settings.BACKUP_DIR
        try:
            folder = making.make_backup(destination, say=self.stdout.write)
            if "backups" in settings.STORAGES:
                sent = self.upload(folder)
                self.stdout.write(f"Uploaded {sent / 1e6:.1f} MB to the backup storage as {folder.name}/.")
            for old in making.prune(destination, keep):
                self.stdout.write(f"Deleted the older set {old.name}.")
        except BackupError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(f"The database could not be read: {error}".strip()) from None
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
        self.stdout.write(str(folder))

    def upload(self, folder: Path) -> int:
        try:
            return making.upload(folder, storages["backups"])
        except BackupError:
            raise
        except Exception as error:
            # Whatever the storage backend raises (network, credentials, a full disk): say what
            # failed and where the set still is, and exit non-zero so that cron reports it.
            raise BackupError(
                f"Uploading to the backup storage failed ({type(error).__name__}: {error}); "
                f"the set is complete in {folder}."
            ) from error
