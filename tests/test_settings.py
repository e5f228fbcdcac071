"""Deploy-time settings come from the environment; production values pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

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
