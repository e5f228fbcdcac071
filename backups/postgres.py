"""PostgreSQL's own programs do the heavy lifting (pg_dump, pg_restore); this module runs them and
reads a database's tables the same way at backup and at restore time.

Databases are described by Django settings dictionaries (`connection.settings_dict`, or
`dj_database_url.parse(url)` for a restore target). Passwords travel in the environment of the
child process, never on a command line where `ps` would show them.
"""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from .manifest import BackupError

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")

# Settings under which a row's text form is the same in every session, so that a checksum taken at
# backup time and one taken after a restore can be compared.
STABLE_TEXT = {
    "TimeZone": "UTC",
    "DateStyle": "ISO, MDY",
    "IntervalStyle": "postgres",
    "extra_float_digits": "1",
    "bytea_output": "hex",
}


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), the same major version as the server or newer."
        )
    return path


def environment(db: dict) -> dict[str, str]:
    """libpq's variables for `db`, over an environment cleared of any other PG* variable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if value := db.get("OPTIONS", {}).get(option):
            env[f"PG{option.upper()}"] = str(value)
    return env


def connect(db: dict, dbname: str | None = None) -> psycopg.Connection:
    options = db.get("OPTIONS", {})
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=dbname or db["NAME"],
        sslmode=options.get("sslmode"),
        connect_timeout=10,
        autocommit=True,
    )


def run(args: list[str], db: dict) -> None:
    result = subprocess.run(args, env=environment(db), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = " ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        raise BackupError(f"{Path(args[0]).name} failed (exit {result.returncode}): {detail}")


def dump(db: dict, snapshot: str, path: Path, exclude_data: list[str]) -> None:
    """pg_dump in custom format from the exported `snapshot`, so the dump sees exactly what the
    transaction that exported it sees."""
    run(
        [
            tool("pg_dump"),
            "--format=custom",
            f"--snapshot={snapshot}",
            "--no-owner",
            "--no-privileges",
            *(f"--exclude-table-data={quote(table)}" for table in exclude_data),
            f"--file={path}",
            f"--dbname={make_conninfo(dbname=db['NAME'])}",
        ],
        db,
    )


def restore(path: Path, db: dict, jobs: int) -> None:
    """pg_restore into `db`, which must exist and be empty; tables load and indexes build in
    `jobs` parallel connections."""
    run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={jobs}",
            f"--dbname={make_conninfo(dbname=db['NAME'])}",
            str(path),
        ],
        db,
    )


def use_stable_text(cursor, *, local: bool) -> None:
    scope = "LOCAL " if local else ""
    for name, value in STABLE_TEXT.items():
        cursor.execute(f"SET {scope}{name} TO '{value}'")


def user_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def table_summary(cursor, table: str) -> dict:
    """Row count and a checksum of the rows' contents that does not depend on their order."""
    cursor.execute(
        "SELECT count(*), md5(coalesce(string_agg(row_hash, '' ORDER BY row_hash), '')) "  # noqa: S608 (quoted name)
        f"FROM (SELECT md5(t::text) AS row_hash FROM {quote(table)} AS t) AS hashed"
    )
    rows, checksum = cursor.fetchone()
    return {"rows": rows, "checksum": checksum}


def prepare_target(db: dict, *, force: bool) -> bool:
    """Make sure the database `db` names exists and is empty. Creates it when missing; refuses one
    that holds tables unless `force`, which empties its public schema. True when it was created."""
    name = db["NAME"]
    admin, reason = None, None
    for maintenance in ("postgres", "template1"):
        try:
            admin = connect(db, dbname=maintenance)
            break
        except psycopg.OperationalError as error:
            reason = error
    if admin is None:
        raise BackupError(f"Cannot reach the database server for {name}: {reason}")
    with admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f"CREATE DATABASE {quote(name)} ENCODING 'UTF8' TEMPLATE template0")
            return True
    with connect(db) as target:
        tables = target.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN (%s, %s) "
            "AND n.nspname NOT LIKE 'pg_toast%%'",
            list(SYSTEM_SCHEMAS),
        ).fetchone()[0]
        if tables and not force:
            raise BackupError(
                f"The database {name} is not empty ({tables} tables and sequences): restore into an empty or new "
                "database, or pass --force to replace everything in its public schema."
            )
        if tables:
            target.execute("DROP SCHEMA public CASCADE")
            target.execute("CREATE SCHEMA public")
    return False
