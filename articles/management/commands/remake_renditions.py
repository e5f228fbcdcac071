"""Make the renditions pictures lack, or all of them again, on the job workers or here.

Without picture ids: every picture missing some of its renditions (a job that gave up, a picture
stored before renditions were made by the workers). `--remake` makes every rendition again, even
where it exists (after changing encoder settings). `--now` makes them in this process instead of
queueing jobs, for a server where no worker runs.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import images, tasks
from articles.models import Image

BATCH = 200


class Command(BaseCommand):
    help = "Queue (or, with --now, make) the renditions of pictures that lack some, or of the pictures named."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="picture ids (default: every picture lacking renditions)")
        parser.add_argument("--remake", action="store_true", help="make every rendition again, even where it exists")
        parser.add_argument("--now", action="store_true", help="make them in this process instead of queueing jobs")

    def handle(self, *args, ids, remake, now, **options):
        pictures = Image.objects.exclude(file="").order_by("pk")
        if ids:
            found = set(pictures.filter(pk__in=ids).values_list("pk", flat=True))
            if unknown := sorted(set(ids) - found):
                raise CommandError(f"No picture with id {', '.join(map(str, unknown))}.")
            pictures = pictures.filter(pk__in=ids)
        chosen = list(self.chosen(pictures, every=bool(ids) or remake))
        if not now:
            with transaction.atomic():
                for image in chosen:
                    tasks.queue_renditions(image, remake=remake)
            self.stdout.write(
                f"Queued renditions for {len(chosen)} pictures; the workers make them (manage.py procrastinate worker)."
            )
            return
        made = failed = 0
        for image in chosen:
            try:
                made += len(images.make_renditions(image, remake=remake))
            except images.MediaUnavailable as error:
                failed += 1
                self.stderr.write(f"Picture {image.pk}: the media storage refused it ({error}).")
        self.stdout.write(f"{len(chosen) - failed} pictures have their renditions ({made} files).")
        if failed:
            raise CommandError(f"{failed} pictures could not be done; run the command again for them.")

    def chosen(self, pictures, every: bool):
        """The pictures to do: all of `pictures` when `every`, else those missing renditions."""
        last = 0
        while batch := list(pictures.filter(pk__gt=last).prefetch_related("renditions")[:BATCH]):
            last = batch[-1].pk
            yield from (image for image in batch if every or images.missing_renditions(image))
