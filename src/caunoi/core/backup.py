"""Backup and restore of the whole installation: the database and the uploaded files.

    manage.py backup /srv/backups/2026-12-01        # a new directory
    manage.py restore_backup /srv/backups/2026-12-01  # app servers and workers stopped first

SQLite: the online backup API (a consistent copy while the app keeps serving) into
`caunoi.sqlite3`. PostgreSQL: `pg_dump --format=custom` into `caunoi.dump`, restored with
`pg_restore --clean --if-exists --no-owner --single-transaction` (all or nothing). The uploaded
files (MEDIA_ROOT: invoices, photos, attachments) go into `media.tar.gz`. A restore replaces the
database and the files with the backup's, then clears the cache (cached pages carry versions
that the restored database may count again).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

SQLITE_FILE = "caunoi.sqlite3"
PG_FILE = "caunoi.dump"
MEDIA_FILE = "media.tar.gz"


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--host", s["HOST"] or "127.0.0.1", "--port", str(s["PORT"] or 5432)]
    if s["USER"]:
        args += ["--username", s["USER"]]
    env = {**os.environ}
    if s["PASSWORD"]:
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _release_connections() -> None:
    for conn in connections.all(initialized_only=True):
        conn.close()
        if conn.alias in getattr(conn, "_connection_pools", {}):
            conn.close_pool()  # type: ignore[attr-defined]  # pg_restore drops tables: no session of ours may hold them


def backup(target: Path) -> list[Path]:
    """Write the database and the media files into the new directory `target`."""
    target.mkdir(parents=True, exist_ok=False)
    made = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target / SQLITE_FILE)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        made.append(target / SQLITE_FILE)
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        dump = target / PG_FILE
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--file",
                str(dump),
                *args,
                connection.settings_dict["NAME"],
            ],
            env=env,
            check=True,
        )
        made.append(dump)
    else:
        raise RuntimeError(f"no backup for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / MEDIA_FILE, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    made.append(target / MEDIA_FILE)
    (target / "backup.json").write_text(
        json.dumps({"at": timezone.now().isoformat(), "database": connection.vendor}),
        encoding="utf-8",
    )
    return made


def restore(source: Path) -> None:
    """Replace the database and the media files with those of the backup in `source`."""
    if connection.vendor == "sqlite":
        backup_db = sqlite3.connect(source / SQLITE_FILE)
        try:
            connection.ensure_connection()
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        name = connection.settings_dict["NAME"]
        _release_connections()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                name,
                str(source / PG_FILE),
            ],
            env=env,
            check=True,
        )
    else:
        raise RuntimeError(f"no restore for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    with tarfile.open(source / MEDIA_FILE, "r:gz") as tar:
        tar.extractall(media.parent, filter="data")
    if media.name != "media" and (media.parent / "media").exists():
        (media.parent / "media").rename(media)
    cache.clear()
