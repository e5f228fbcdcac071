"""Rebuild every story's search document, in batches, with a progress bar.

Resumable: each batch commits on its own, and `--from-id` starts again where an interrupted run
stopped (the last id it printed). `--queue` hands the batches to the job workers instead.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from articles import search, tasks
from articles.models import Article


class Command(BaseCommand):
    help = "Rebuild the search document of every story (all states), in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="stories per transaction (default 1000)")
        parser.add_argument("--from-id", type=int, default=0, help="start at this story id, to resume a run")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
        parser.add_argument("--queue", action="store_true", help="queue the batches for the job workers and return")

    def handle(self, *args, batch_size, from_id, no_progress, queue, **options):
        batch_size = max(1, batch_size)
        if queue:
            with transaction.atomic():
                ids = Article.objects.filter(pk__gte=from_id).values_list("pk", flat=True)
                jobs = tasks.queue_reindex(ids, batch_size)
            self.stdout.write(f"Queued {jobs} reindexing jobs; the workers run them (manage.py procrastinate worker).")
            return
        ids = Article.objects.order_by("pk").values_list("pk", flat=True)
        total = ids.filter(pk__gte=from_id).count()
        started = time.monotonic()
        done, cursor = 0, from_id
        bar = tqdm(total=total, unit=" stories", disable=no_progress or total == 0, file=sys.stderr)
        try:
            while batch := list(ids.filter(pk__gte=cursor)[:batch_size]):
                with transaction.atomic():
                    done += search.update_documents(batch)
                cursor = batch[-1] + 1
                bar.update(len(batch))
        except KeyboardInterrupt:
            bar.close()
            raise CommandError(
                f"Interrupted after {done} stories; every one up to id {cursor - 1} is indexed. "
                f"Resume with: manage.py reindex --from-id {cursor}"
            ) from None
        bar.close()
        with connection.cursor() as cursor:
            # Fresh planner statistics, or the first searches after a bulk load ignore the GIN index.
            cursor.execute("ANALYZE articles_article")
        elapsed = time.monotonic() - started
        self.stdout.write(f"Reindexed {done} of {total} stories in {elapsed:.1f} s.")
