"""`manage.py backup`: the database and its media files as one set, with a manifest of checksums."""

import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

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
                sent = making.upload(folder, storages["backups"])
                self.stdout.write(f"Uploaded {sent / 1e6:.1f} MB to the backup storage as {folder.name}/.")
            for old in making.prune(destination, keep):
                self.stdout.write(f"Deleted the older set {old.name}.")
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))
        self.stdout.write(str(folder))
