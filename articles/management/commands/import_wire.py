"""Bulk import of wire copy files as drafts: each file whole or not at all, failures listed with reasons."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from articles import wire
from articles.models import Section


class Command(BaseCommand):
    help = (
        "Import wire copy files (.txt or .docx) as drafts, accepting what the parser proposes. "
        "Sources the registry lacks wait on each draft for an editor to confirm or merge. "
        "Each file is imported in its own transaction; a file that fails leaves nothing behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Wire copy files (.txt or .docx).")
        parser.add_argument("--user", metavar="USERNAME", help="The staff member who owns the drafts (their byline).")
        parser.add_argument(
            "--section", metavar="SLUG", help="The section of the drafts (default: the first section in order)."
        )

    def handle(self, *args, files, user=None, section=None, **options):
        owner = self.owner(user)
        target = self.section(section)
        failures = []
        created = 0
        if owner is None:
            self.stderr.write(self.style.WARNING("No --user given: the drafts will have no owner and no byline."))
        # tqdm redraws its bar with carriage returns: give it the raw streams, not Django's
        # wrappers, which end every write with a newline. disable=None hides it off a terminal.
        progress = tqdm(files, unit="file", desc="import_wire", file=self.stderr._out, disable=None)
        for name in progress:
            try:
                article = self.import_file(Path(name), owner, target)
            except wire.WireError as error:
                failures.append((name, str(error.message)))
            except OSError as error:
                failures.append((name, error.strerror or str(error)))
            except DatabaseError as error:
                # The file's transaction has rolled back; the next file starts clean.
                failures.append((name, str(error)))
            else:
                created += 1
                waiting = article.source_proposals.count()
                # New sources are never added to the registry from here: an editor confirms them.
                note = f"; {waiting} proposed source(s) to confirm on the draft" if waiting else ""
                progress.write(f"{name}: {article.headline_ar} (#{article.pk}{note})", file=self.stdout._out)
        self.stdout.write(self.style.SUCCESS(f"{created} draft(s) created from {len(files)} file(s)."))
        for name, reason in failures:
            self.stderr.write(self.style.ERROR(f"{name}: {reason}"))
        if failures:
            raise CommandError(f"{len(failures)} of {len(files)} file(s) could not be imported.")

    def import_file(self, path: Path, owner, section):
        wire.check_upload_size(path.stat().st_size)
        text, _encoding = wire.read_upload(path.read_bytes(), path.name)
        return wire.create_draft(wire.parse(text), by=owner, section=section)

    def owner(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No staff member is called {username!r}.") from None
        if not user.is_active or not user.has_perm("articles.add_article"):
            raise CommandError(f"{username} may not write stories (needs articles.add_article).")
        return user

    def section(self, slug):
        if slug:
            try:
                return Section.objects.get(slug=slug)
            except Section.DoesNotExist:
                raise CommandError(f"No section has the slug {slug!r}.") from None
        first = Section.objects.first()
        if first is None:
            raise CommandError("There are no sections yet: create one (or run load_demo) first.")
        return first
