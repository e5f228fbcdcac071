# Telescope Newsroom, production images. Build with `docker compose build` (docker-compose.yml).
#   app   — the site under gunicorn as an unprivileged user, with the production lock
#           (requirements.txt) and nothing else; also runs migrations, the job worker and backups.
#   proxy — Caddy with this build's static files baked in: TLS, static and media files.
# The last stage is the app, so a plain `docker build .` gives the app image.

FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    BACKUP_DIR=/data/backups \
    WEB_CONCURRENCY=3

# postgresql-client: pg_dump and pg_restore for `manage.py backup`/`restore` (Debian 12 ships 15,
# the major version of the compose file's server; pg_dump must not be older than the server).
# Not pinned to a Debian revision: those disappear with each security update; the base image's
# release pins the major version.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 newsroom \
    && useradd --system --create-home --uid 10001 --gid newsroom newsroom

WORKDIR /app
# The production lock alone, exactly: --no-deps installs nothing it does not list, and pip check
# fails the build if the lock misses something a package needs.
COPY requirements.txt .
RUN pip install --no-deps -r requirements.txt && pip check

COPY . .
# collectstatic needs settings; a build-time key that never leaves the build.
RUN SECRET_KEY=build-only-never-used python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media /data/backups \
    && chown -R newsroom:newsroom /data

USER 10001:10001
EXPOSE 8000
# Serves only: migrations run once, in the compose file's one-off `migrate` service.
# gunicorn takes its worker count from WEB_CONCURRENCY.
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--no-control-socket", "--access-logfile", "-"]


FROM caddy:2.11.4-alpine AS proxy
COPY deploy/Caddyfile /etc/caddy/Caddyfile
COPY --from=app /app/staticfiles /srv/static


FROM app
