"""Deploy-time settings come from the environment; production values pass `check --deploy`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qz9!vR2@mP5$wX8^nL3&bT6*hJ1(eY4)uC0-sA9_dF2+gH5=jK8~lZ3qW",
    "ALLOWED_HOSTS": "news.telescope.example",
    "SITE_URL": "https://news.telescope.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/newsroom",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "HTTPS", "STATIC_STORAGE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_fails_loudly_without_debug():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_secret_only_with_debug():
    result = manage("diffsettings", **{**PRODUCTION, "SECRET_KEY": "", "DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "django-insecure-development-only" in result.stdout


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "ar"
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "en"]
    assert settings.TIME_ZONE == "Asia/Damascus" and settings.USE_TZ
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# No hidden environment: what `make run` leaves behind is enough for every manage.py command.

HIDDEN = {"DEBUG", "SECRET_KEY", "HTTPS", "STATIC_STORAGE", "DATABASE_URL", "NEWSROOM_ENV_FILE", "SITE_URL"}


def fresh_checkout(tmp_path: Path) -> Path:
    """The project's files as a fresh clone has them, without this checkout's local state."""
    copy = tmp_path / "checkout"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".local", ".env", "media", "staticfiles", "test-artifacts", "node_modules", "__pycache__"
        ),
    )
    return copy


def run_in(checkout: Path, *args, **env):
    bare = {k: v for k, v in os.environ.items() if k not in HIDDEN}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=checkout,
        env={**bare, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def leave_what_make_run_leaves(checkout: Path) -> None:
    db = connection.settings_dict
    (checkout / ".local").mkdir()
    (checkout / ".local" / "secret_key").write_text("a-local-secret-key-made-by-make-run-" + "x" * 30 + "\n")
    (checkout / ".local" / "database_url").write_text(
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}\n"
    )


@pytest.mark.django_db(transaction=True)
def test_createsuperuser_works_after_make_run_with_no_environment(tmp_path):
    checkout = fresh_checkout(tmp_path)
    leave_what_make_run_leaves(checkout)
    result = run_in(
        checkout,
        "createsuperuser",
        "--noinput",
        "--username",
        "rasha",
        "--email",
        "rasha@example.com",
        DJANGO_SUPERUSER_PASSWORD="a-long-enough-password",
    )
    assert result.returncode == 0, result.stderr
    assert get_user_model().objects.get(username="rasha").is_superuser


def test_dotenv_supplies_what_the_environment_leaves_unset(tmp_path):
    checkout = fresh_checkout(tmp_path)
    (checkout / ".env").write_text(
        "# as in .env.example\nSECRET_KEY=from-the-dotenv-file\nSITE_URL=https://dotenv.example\nARABIC_DIGITS=latin\n"
    )
    code = "from django.conf import settings as s; print(s.SECRET_KEY, s.SITE_URL, s.ARABIC_DIGITS)"
    result = run_in(checkout, "shell", "-c", code, ARABIC_DIGITS="arabic-indic")
    assert result.returncode == 0, result.stderr
    # The real environment wins over the file.
    assert result.stdout.splitlines()[-1].split() == ["from-the-dotenv-file", "https://dotenv.example", "arabic-indic"]
