"""Telescope Newsroom settings.

One file. Every deploy-time choice is read from an environment variable with a safe local
default; production values that must not be guessed (the secret key) fail loudly when missing.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A `.env` file beside manage.py (see .env.example) supplies what the real environment leaves
# unset, so every manage.py command sees what `make run` sees. NEWSROOM_ENV_FILE names another file,
# or none when empty (`make test` does that, so a developer's .env never changes the suite).
_env_file = os.environ.get("NEWSROOM_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    load_dotenv(_env_file, override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY")
_local_secret_key_file = BASE_DIR / ".local" / "secret_key"
if SECRET_KEY is None and _local_secret_key_file.exists():
    # The key `make run` made for this checkout: found here, not passed by the Makefile, so that
    # `manage.py createsuperuser` and every other command work after `make run` with no set-up.
    SECRET_KEY = _local_secret_key_file.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env (see .env.example), "
            "run `make run` once to make a local one, or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A form whose token went stale (its person signed in again elsewhere) gets a page that says the
# typed work is kept and how to save it, not Django's bare 403.
CSRF_FAILURE_VIEW = "desk.autosave_views.csrf_failure"

# The public address of the site, used in feeds, sitemaps, preview links and JSON-LD.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so that its fields reach admin forms.
    "modeltranslation",
    "accounts.apps.NewsroomAdminConfig",  # django.contrib.admin, with our sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "taggit",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "procrastinate.contrib.django",
    "accounts",
    "articles",
    "audit",
    "backups",
    "newswire",
    "desk",
]

MIDDLEWARE = [
    # One JSON line per request, the fast path's answers included.
    "newsroom.observability.RequestLogMiddleware",
    # Cached pages are answered here, before the rest of the stack does any work.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Nothing below runs while the database is known to be down: 503 with Retry-After at once.
    "newsroom.outage.DatabaseOutageMiddleware",
    "newsroom.csp.NewsroomCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "newswire.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: it reads the body, and an upload route's limit must be set before that.
    "articles.upload_limits.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.IdleStaffSessionMiddleware",
    "accounts.middleware.AdminLanguageMiddleware",
    "audit.middleware.ClientAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out sign-in into the login page with its message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: DATABASE_URL, else what `newsroom.localdb` found or started for `make run`/`make test`
# (it writes the address to .local/database_url), else a server on localhost.
_local_database_url_file = BASE_DIR / ".local" / "database_url"
DATABASE_URL = os.environ.get("DATABASE_URL") or (
    _local_database_url_file.read_text().strip()
    if _local_database_url_file.exists()
    else "postgres://postgres@127.0.0.1:5432/newsroom"
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Telescope Newsroom runs on PostgreSQL only; DATABASE_URL names another engine.")
# Django's own psycopg 3 pool; a pooled connection must not also be persistent.
if env_bool("DATABASE_POOL", True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "8")),
        # How long a request waits for a connection: when the database is down, the answer is a
        # 503 within this, not a worker held for ten seconds (newsroom.outage).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "0.5")),
    }
# libpq's own limit for opening a connection (its minimum is 2 s); the pool connects in the
# background, so requests wait only the pool's timeout above.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)

# A cache that every worker shares: Redis when configured, else a table in PostgreSQL.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its Redis client object (newsroom/redis_cache.py).
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # An unreachable Redis must cost little: pages are then built uncached
            # (articles.cache.SharedCache) and Redis is tried again a second later.
            # Connecting is answered by the kernel, so it fails fast when Redis is gone; an answer
            # needs Redis itself to run, which a busy machine can delay by a few hundred ms.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.1")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Every public page of both editions, per generation; culled a quarter at a time.
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    }
# Page bodies each process keeps once fetched from the shared cache, named by their content so
# they are never stale (newsroom/pagecache.py); the shared cache still decides what is current.
PAGE_BODIES_MB = int(os.environ.get("PAGE_BODIES_MB", "32"))
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks for a lock before any password is compared; ModelBackend does the rest.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The client's address. Behind a reverse proxy every request comes from the proxy, so the address
# is read from X-Forwarded-For only when REMOTE_ADDR is one of these proxies (addresses or
# networks, comma-separated). Default: no proxy is trusted and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# Sign-in protection (django-axes): five wrong passwords for one account from one address lock
# that pair for 15 minutes; the same account from another address, and other accounts, still
# sign in. Chief editors see and lift locks under Staff › Sign-in locks.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.login.locked_out"
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins are in the audit trail; axes keeps only the failures it counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP): required for whoever may publish, optional otherwise.
OTP_TOTP_ISSUER = "Telescope Newsroom"
# Staff sessions end after this long without a request; the public site sets no session at all.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = STAFF_SESSION_IDLE_MINUTES * 60

# Mail (staff invitations). Without EMAIL_HOST no mail is sent: the chief editor is shown the
# invitation link to pass on.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
MAIL_CONFIGURED = bool(EMAIL_HOST)
# How long an invitation (set-your-password) link stays valid.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("INVITATION_DAYS", "7")) * 24 * 3600

# Language and time.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Damascus"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ar",)

# Readers' live pages ask for new entries this often (seconds); each unchanged answer is a 304
# from the page cache.
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "15"))


def same_label_in_every_language(verbose_name, language):
    """modeltranslation appends "[ar]"/"[en]" to every label; the admin shows a field's language by
    the fieldset it sits in instead ("The story in Arabic", "English translation")."""
    return verbose_name


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = same_label_in_every_language

# Public dates use Arabic-Indic digits ("٢٤ تشرين الثاني") unless this says "latin".
ARABIC_DIGITS = os.environ.get("ARABIC_DIGITS", "arabic-indic")
# Story pages and the admin's story header print the Hijri (Umm al-Qura) date beside the Gregorian.
HIJRI_DATES = env_bool("HIJRI_DATES", True)

# Static files and media. Media go through STORAGES so that production can swap the default
# backend for object storage (django-storages) without code changes.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": os.environ.get("STATIC_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# `manage.py backup` writes its sets here, and also to object storage when BACKUP_STORAGE names a
# storage class (e.g. storages.backends.s3.S3Storage) with BACKUP_STORAGE_OPTIONS as JSON.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / ".local" / "backups"))
if os.environ.get("BACKUP_STORAGE"):
    STORAGES["backups"] = {
        "BACKEND": os.environ["BACKUP_STORAGE"],
        "OPTIONS": json.loads(os.environ.get("BACKUP_STORAGE_OPTIONS") or "{}"),
    }
# Serve user-uploaded media from the app only where no web server or bucket does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Pictures larger than these are refused at upload (articles/images/uploads.py). The pixel limit counts
# every frame an upload decodes into (width × height × frames): 50 megapixels is above any newsroom
# camera, and a GIF of 2000 × 2000 pixels may have 12 frames.
IMAGE_MAX_UPLOAD_BYTES = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "25")) * 1024 * 1024
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "50")) * 1_000_000
# Whatever a file's headers claim, decoding it runs in a child process that may add this much memory
# to the worker's and run this long (newsroom/sandbox.py); beyond either, the upload is refused.
IMAGE_DECODE_MEMORY_BYTES = int(os.environ.get("IMAGE_DECODE_MEMORY_MB", "1024")) * 1024 * 1024
IMAGE_DECODE_SECONDS = int(os.environ.get("IMAGE_DECODE_SECONDS", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security. HTTPS defaults on whenever DEBUG is off; `make run` turns it off for plain-http loopback.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe /healthz over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        # No inline script runs unless it carries the request's nonce (newsroom.csp: the admin's
        # editor needs one); a page that asks for no nonce sends 'self' alone.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The newswire (subscriber API and pushes).
# The prefix of every item's permanent identity: urn:telescope-news:story:<id>:<language>.
NEWSWIRE_URN = os.environ.get("NEWSWIRE_URN", "urn:telescope-news")
# Requests a minute per API key; more answer 429 with Retry-After.
NEWSWIRE_RATE_LIMIT = int(os.environ.get("NEWSWIRE_RATE_LIMIT", "600"))
# Tries of one push before it becomes a dead letter; the waits between them double from the base
# (with jitter) up to the maximum.
NEWSWIRE_DELIVERY_ATTEMPTS = int(os.environ.get("NEWSWIRE_DELIVERY_ATTEMPTS", "8"))
NEWSWIRE_RETRY_BASE_SECONDS = int(os.environ.get("NEWSWIRE_RETRY_BASE_SECONDS", "30"))
NEWSWIRE_RETRY_MAX_SECONDS = int(os.environ.get("NEWSWIRE_RETRY_MAX_SECONDS", "3600"))
NEWSWIRE_WEBHOOK_TIMEOUT = float(os.environ.get("NEWSWIRE_WEBHOOK_TIMEOUT", "10"))

# The job queue (procrastinate, on the same PostgreSQL). Workers: `manage.py procrastinate worker`.
PROCRASTINATE_IMPORT_PATHS = ["newsroom.jobs"]
PROCRASTINATE_WORKER_DEFAULTS = {"update_heartbeat_interval": 10, "stalled_worker_timeout": 30}

# Health checks (newsroom/health.py): a name and a function that raises when its dependency is
# down. Another app adds its own, e.g. "queue" for the job queue.
HEALTH_CHECKS = {
    "database": "newsroom.health.check_database",
    "cache": "newsroom.health.check_cache",
    "queue": "newswire.health.check_queue",
}
# A function returning the job queue's depth (a number or {queue: number}) for /metrics.
QUEUE_DEPTH = os.environ.get("QUEUE_DEPTH", "newswire.health.queue_depth")
# /metrics answers only these client addresses, never a request forwarded by a proxy.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"bare": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "bare"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # axes logs every sign-in at INFO; the audit trail already keeps what matters.
        "axes": {"level": "WARNING"},
        # Task registration is announced at every start of every command.
        "procrastinate.blueprints": {"level": "WARNING"},
        "procrastinate.periodic": {"level": "WARNING"},
        # One JSON line per request (newsroom.observability); REQUEST_LOG=0 silences it.
        "newsroom.requests": {
            "handlers": ["requests"],
            "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
        # Django's own line per 4xx/5xx would repeat what the JSON line says.
        "django.request": {"level": "ERROR"},
    },
}
