# Production image: the app under gunicorn, as an unprivileged user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media

RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 10001 newsroom

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings; a build-time key that never leaves the image build.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media && chown -R newsroom:newsroom /data /app/staticfiles

USER newsroom
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py createcachetable && exec gunicorn newsroom.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --no-control-socket --access-logfile -"]
