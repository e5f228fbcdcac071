"""`manage.py backup` and `manage.py restore`: a set made from the demo restores into a new database
with every table's rows and every story the same, and the media files with it.

pg_dump and pg_restore are separate processes on their own connections, so these tests commit.
"""

import hashlib
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Image, Rendition
from backups.manifest import MANIFEST, PREFIX

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

CACHE_TABLE = "newsroom_cache"


def url_of(db: dict) -> str:
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def connect(db: dict, name: str | None = None) -> psycopg.Connection:
    return psycopg.connect(url_of({**db, "NAME": name or db["NAME"]}), autocommit=True)


def database_exists(db: dict) -> bool:
    with connect(db, "postgres") as admin:
        return bool(admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone())


@pytest.fixture
def new_database():
    """A database name next to the test database's, dropped before and after the test."""
    db = {**connection.settings_dict, "NAME": f"{connection.settings_dict['NAME']}_restored"}

    def drop():
        with connect(db, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')

    drop()
    yield db
    drop()


def row_counts(db: dict) -> dict[str, int]:
    with connect(db) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def story_checksums(db: dict) -> dict[int, str]:
    """Every story's whole row (both languages, status, times, search document) as an MD5."""
    with connect(db) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        return dict(conn.execute("SELECT id, md5(a::text) FROM articles_article AS a").fetchall())


def media_checksums(root: Path, names) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in names}


def referenced_media() -> list[str]:
    return [*Image.objects.values_list("file", flat=True), *Rendition.objects.values_list("file", flat=True)]


@pytest.fixture
def newsroom(db):
    """The demo (stories, staff, roles, a picture and its renditions) and a draft beside it."""
    call_command("createcachetable", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    ArticleFactory(headline_ar="مسودة لم تنشر بعد", body_ar="<p>نص المسودة</p>")


def backup(destination: Path) -> Path:
    out = StringIO()
    call_command("backup", str(destination), stdout=out)
    return Path(out.getvalue().strip().splitlines()[-1])


def test_a_backup_restores_into_a_new_database_with_the_same_rows_stories_and_media(
    newsroom, new_database, tmp_path, settings
):
    source = connection.settings_dict
    old_media = Path(settings.MEDIA_ROOT)
    files = referenced_media()
    assert Article.objects.count() >= 7 and files

    folder = backup(tmp_path / "sets")
    assert folder.name.startswith(PREFIX) and (folder / MANIFEST).is_file()

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(folder), "--database-url", url_of(new_database), stdout=StringIO())

    expected = {table: rows for table, rows in row_counts(source).items() if table != CACHE_TABLE}
    restored = {table: rows for table, rows in row_counts(new_database).items() if table != CACHE_TABLE}
    assert restored == expected, "row counts differ between the backed-up and the restored database"
    assert story_checksums(new_database) == story_checksums(source)
    assert media_checksums(Path(settings.MEDIA_ROOT), files) == media_checksums(old_media, files)


def test_restore_refuses_a_database_that_is_not_empty(newsroom, tmp_path):
    folder = backup(tmp_path / "sets")
    headline = Article.objects.order_by("pk").first().headline_ar
    Article.objects.filter(pk=Article.objects.order_by("pk").first().pk).update(headline_ar="تعديل بعد النسخ")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder), stdout=StringIO())
    assert Article.objects.order_by("pk").first().headline_ar == "تعديل بعد النسخ" != headline


def test_restore_with_force_replaces_what_the_database_holds(newsroom, new_database, tmp_path):
    folder = backup(tmp_path / "sets")
    call_command("restore", str(folder), "--database-url", url_of(new_database), "--no-media", stdout=StringIO())
    with connect(new_database) as conn:
        conn.execute("UPDATE articles_article SET headline_ar = 'تغيير في القاعدة المستعادة'")

    call_command(
        "restore", str(folder), "--database-url", url_of(new_database), "--no-media", "--force", stdout=StringIO()
    )
    assert story_checksums(new_database) == story_checksums(connection.settings_dict)


def test_a_damaged_set_is_refused_before_anything_is_touched(newsroom, new_database, tmp_path):
    folder = backup(tmp_path / "sets")
    picture = next((folder / "media").rglob("*.jpg"))
    picture.write_bytes(picture.read_bytes()[:-10])

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(folder), "--database-url", url_of(new_database), stdout=StringIO())
    assert not database_exists(new_database)


def test_a_folder_without_a_manifest_is_not_a_backup(new_database, tmp_path):
    (tmp_path / "half").mkdir()
    with pytest.raises(CommandError, match="not a finished backup"):
        call_command("restore", str(tmp_path / "half"), "--database-url", url_of(new_database), stdout=StringIO())
    assert not database_exists(new_database)


def test_a_set_goes_to_object_storage_and_restores_from_there(newsroom, new_database, tmp_path, settings):
    bucket = tmp_path / "bucket"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": bucket}},
    }
    folder = backup(tmp_path / "sets")
    uploaded = sorted(path.relative_to(bucket / folder.name) for path in (bucket / folder.name).rglob("*"))
    assert uploaded == sorted(path.relative_to(folder) for path in folder.rglob("*"))

    target = url_of(new_database)
    call_command("restore", folder.name, "--from-storage", "--database-url", target, "--no-media", stdout=StringIO())
    assert story_checksums(new_database) == story_checksums(connection.settings_dict)


def test_backup_keeps_the_newest_sets_and_clears_what_a_killed_run_left(newsroom, tmp_path):
    sets = tmp_path / "sets"
    older = sets / f"{PREFIX}20200101-000000Z"
    older.mkdir(parents=True)
    (older / MANIFEST).write_text("{}")
    killed = sets / f".{PREFIX}20200101-000001Z.partial"
    killed.mkdir()

    out = StringIO()
    call_command("backup", str(sets), "--keep", "1", stdout=out)
    newest = Path(out.getvalue().strip().splitlines()[-1])
    assert sorted(path.name for path in sets.iterdir() if not path.name.startswith(".lock")) == [newest.name]


def test_restore_from_storage_takes_only_a_set_name(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    with pytest.raises(CommandError, match="not the name of a backup set"):
        call_command("restore", "../../etc", "--from-storage", stdout=StringIO())


def test_a_failed_upload_is_reported_and_the_local_set_kept(newsroom, tmp_path, settings):
    not_a_folder = tmp_path / "bucket"
    not_a_folder.write_text("a file where the storage expects a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": not_a_folder}},
    }
    with pytest.raises(CommandError, match="the set is complete in") as refused:
        call_command("backup", str(tmp_path / "sets"), stdout=StringIO())
    kept = Path(str(refused.value).rsplit(" ", 1)[-1].rstrip("."))
    assert (kept / MANIFEST).is_file()
