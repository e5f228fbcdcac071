"""The production image and the compose file, read as an operator (and a linter) would: this
machine has no Docker engine, so they are parsed and checked, and the compose environment is run
through `check --deploy`.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = {"pytest", "pytest-django", "factory-boy", "faker", "hypothesis", "playwright", "ruff", "pyyaml"}


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        name, separator, version = line.partition("==")
        assert separator and re.fullmatch(r"[\w.]+", version), f"{path.name}: {line!r} is not pinned exactly"
        found[name.lower().replace("_", "-")] = version
    return found


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def stages(dockerfile: str) -> dict[str, str]:
    """Each named build stage's instructions; the unnamed last stage under ''."""
    parts = re.split(r"^FROM\s+", dockerfile, flags=re.MULTILINE)[1:]
    named = {}
    for part in parts:
        head, _, body = part.partition("\n")
        name = head.split(" AS ")[1].strip() if " AS " in head else ""
        named[name] = head + "\n" + re.sub(r"\\\n\s*", " ", body)
    return named


# Dependency locks


def test_the_production_lock_holds_no_test_or_development_tool():
    production = pins(ROOT / "requirements.txt")
    assert not DEV_TOOLS & set(production), sorted(DEV_TOOLS & set(production))
    assert {"django", "gunicorn", "psycopg", "python-dotenv"} <= set(production)


def test_the_development_lock_adds_the_tools_on_top_of_the_production_lock():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines
    development = pins(ROOT / "requirements-dev.txt")
    assert set(development) >= DEV_TOOLS
    assert not set(development) & set(pins(ROOT / "requirements.txt")), "a package is pinned in both locks"


def test_pyproject_pins_what_the_locks_pin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = {**pins(ROOT / "requirements.txt"), **pins(ROOT / "requirements-dev.txt")}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name, _, version = requirement.partition("==")
        name = re.sub(r"\[.*\]", "", name).lower().replace("_", "-")
        assert locked.get(name) == version, f"pyproject says {requirement}, the locks say {locked.get(name)}"


# The image


def test_the_image_installs_the_production_lock_alone_and_serves_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    app = stages(dockerfile)["app"]
    installs = [line for line in app.splitlines() if "pip install" in line]
    assert installs == ["RUN pip install --no-deps -r requirements.txt && pip check"]
    assert "requirements-dev" not in dockerfile
    assert re.search(r"^USER 10001:10001$", app, re.MULTILINE) and "--uid 10001" in app
    assert stages(dockerfile)[""].strip() == "app", "a plain `docker build .` must give the app image"


def test_the_image_only_serves_it_never_migrates_on_start():
    app = stages((ROOT / "Dockerfile").read_text())["app"]
    command = re.search(r"^CMD (.*)$", app, re.MULTILINE).group(1)
    assert command.startswith('["gunicorn"') and "migrate" not in command


def test_the_image_is_built_like_a_linted_dockerfile():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for head in re.findall(r"^FROM\s+(\S+)", dockerfile, re.MULTILINE):
        assert head == "app" or re.search(r":\d+\.\d+", head), f"base image {head} is not pinned to a version"
    for run in re.findall(r"^RUN .*apt-get install.*$", stages(dockerfile)["app"], re.MULTILINE):
        assert "--no-install-recommends" in run and "rm -rf /var/lib/apt/lists/*" in run
    assert "ADD " not in dockerfile and ":latest" not in dockerfile


def test_the_build_context_leaves_out_local_state_secrets_and_tests():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    for path in [".git", ".venv", ".local", ".env", "media", "staticfiles", "tests", "requirements-dev.txt"]:
        assert path in ignored, f"{path} would be copied into the image"
    for needed in ["backups", "articles", "newsroom", "accounts", "requirements.txt", "locale", "static"]:
        assert needed not in ignored


# The compose file


def test_compose_runs_every_part_of_the_newsroom():
    services = compose()["services"]
    assert set(services) >= {"migrate", "app", "worker", "proxy", "db", "redis"}
    assert services["worker"]["command"] == ["python", "manage.py", "procrastinate", "worker"]


def test_migrations_run_once_before_the_app_and_the_worker_start():
    services = compose()["services"]
    assert "manage.py migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["restart"] == "no"
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name, service in services.items():
        if name != "migrate":
            assert "migrate" not in " ".join(service.get("command") or []), f"{name} migrates too"


def test_only_the_proxy_is_published_and_https_is_on():
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    app = services["app"]["environment"]
    assert "HTTPS" not in app and "DEBUG" not in app, "HTTPS must stay at its default, on"
    assert app["BEHIND_PROXY"] == "1" and app["SERVE_MEDIA"] == "0"


def test_the_proxy_serves_static_and_media_files_and_passes_the_rest_to_the_app():
    services = compose()["services"]
    assert "media:/srv/media:ro" in services["proxy"]["volumes"]
    assert "media:/data/media" in services["app"]["volumes"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"handle_path /static/\* \{[^}]*root \* /srv/static", caddyfile)
    assert re.search(r"handle_path /media/\* \{[^}]*root \* /srv/media", caddyfile)
    assert "reverse_proxy app:8000" in caddyfile
    assert "COPY --from=app /app/staticfiles /srv/static" in (ROOT / "Dockerfile").read_text()


def interpolate(value: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)(?:[:?-][^}]*)?\}", lambda match: variables[match.group(1)], value)


def test_the_compose_environment_passes_check_deploy():
    variables = {
        "POSTGRES_PASSWORD": "a-database-password",
        "SECRET_KEY": "k7#Qz9!vR2@mP5$wX8^nL3&bT6*hJ1(eY4)uC0-sA9_dF2+gH5=jK8~lZ3qW",
        "SITE_DOMAIN": "news.telescope.example",
        "WEB_CONCURRENCY": "3",
    }
    environment = compose()["services"]["app"]["environment"]
    app = {key: interpolate(str(value), variables) for key, value in environment.items()}
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "STATIC_STORAGE", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **app, "NEWSROOM_ENV_FILE": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
