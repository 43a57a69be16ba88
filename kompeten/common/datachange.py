"""The data version: a token that changes after every committed write to the database.

Logged-in pages are cached under it (kompeten/common/pagecache.py ``user_page``). Unlike the
public pages' content versions, which the services that write what those pages show bump by
name, it needs no list of writers: every INSERT, UPDATE or DELETE that goes through Django's
database connections (ORM, raw cursors, services, background jobs, management commands, in
any process or node) is noticed by an execute wrapper installed on each connection, and once
its transaction commits the shared token moves on. A writer that is not listed cannot be
forgotten; the price is that any write renews every logged-in page, which suits pages read
far more often than the database is written.

The token has two parts:
- shared: on PostgreSQL a sequence advanced with ``nextval`` after the commit (no row lock,
  no extra commit to wait for); elsewhere (SQLite, one machine) the ``ContentVersion`` row
  "data", updated after the commit;
- local: a counter of this process, advanced at once by every write statement, so a page read
  by the process that wrote (a test's single transaction, which never commits) is renewed
  without waiting for the commit.
The shared part moves after the commit and is read before the page's data, so a page cached
between a commit and its bump is cached under the old token and never served again.

The same wrapper bumps the public pages' content versions (kompeten/common/pagecache.py):
an app declares in its ``AppConfig.ready()`` which tables a key depends on
(``watch("public", Program, Batch, ...)``), and any write to them bumps the key, after the
commit like the data version, whichever code path wrote (save, queryset update, bulk
create, raw SQL): no signal receivers, no list of writers to keep.

Not counted: the session table (its data is part of a page's key), the token's own row and
Django's migration records (``migrate`` bumps once at its end, post_migrate).
"""

import itertools
import logging
import re
import threading

from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate

logger = logging.getLogger(__name__)
KEY = "data"
SEQUENCE = "common_data_version"
_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|MERGE)\b", re.IGNORECASE)
_CTE_WRITE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_IGNORED = {"django_session", "common_contentversion", "django_migrations"}
_TABLE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+'
                    r'"?(\w+)"?', re.IGNORECASE)
_watched: dict[str, set[str]] = {}
_counter = itertools.count(1)
_local_version = 0
_state = threading.local()
_migrating = threading.Event()


def local_version() -> int:
    return _local_version


def note_write() -> None:
    """A write by this process: its cached logged-in pages are not served again."""
    global _local_version
    _local_version = next(_counter)


def shared_version(using: str = "default") -> str:
    """The shared part of the token: one read, without the ORM's query building."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT last_value, is_called FROM {SEQUENCE}")  # noqa: S608
        else:
            cursor.execute("SELECT token FROM common_contentversion WHERE key = %s", [KEY])
        row = cursor.fetchone()
    return ":".join(map(str, row)) if row else ""


def token(using: str = "default") -> str:
    return f"{shared_version(using)}/{_local_version}"


def bump(using: str = "default") -> None:
    """Move the shared token on (after a commit; by itself, a write in autocommit)."""
    if _migrating.is_set():
        return
    connection = connections[using]
    _state.bumping = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        else:
            from kompeten.common import pagecache  # the ContentVersion writer
            pagecache.bump(KEY)
    finally:
        _state.bumping = False


def watch(key: str, *models) -> None:
    """A write to any of ``models``' tables bumps the content version ``key`` of the public
    page cache (kompeten/common/pagecache.py), whichever code path writes. Called from an
    app's ``AppConfig.ready()``."""
    for model in models:
        _watched.setdefault(model._meta.db_table, set()).add(key)


def _watched_keys(sql: str) -> set[str]:
    """The content keys a write statement touches: its table's; every watched key when the
    table cannot be told from the statement (a CTE, a TRUNCATE of several tables)."""
    match = _TABLE.match(sql)
    if match is None:
        return set().union(*_watched.values()) if _watched else set()
    return _watched.get(match.group(1), set())


def once_after_commit(connection, name: str, callback) -> None:
    """``callback`` after the current transaction commits, registered once per ``name`` and
    transaction (a savepoint rolled back drops what it registered: registered again then)."""
    pending = connection.__dict__.setdefault("_kompeten_after_commit", {})
    registered = pending.get(name)
    if registered is None or not any(entry[1] is registered
                                     for entry in connection.run_on_commit):
        pending[name] = callback
        # robust: the data is committed; a failed bump is logged (Django's "django.db.backends"
        # logger), not turned into an error page for a write that succeeded.
        transaction.on_commit(callback, using=connection.alias, robust=True)


def is_write(sql: str) -> bool:
    if _WRITE.match(sql):
        table = _TABLE.match(sql)
        return table is None or table.group(1).lower() not in _IGNORED
    return sql.lstrip()[:4].upper() == "WITH" and bool(_CTE_WRITE.search(sql))


def _noticed(alias: str):
    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if getattr(_state, "bumping", False) or not is_write(sql):
            return result
        note_write()
        connection = context["connection"]
        if connection.in_atomic_block:
            once_after_commit(connection, "data", lambda: bump(alias))
        else:
            try:
                bump(alias)
            except DatabaseError:  # the write is committed: log, as after a transaction
                logger.exception("could not move the data version on")
        if _watched and not _migrating.is_set():
            from kompeten.common import pagecache
            for key in _watched_keys(sql):
                pagecache.bump(key)
        return result
    wrapper.kompeten_data_version = True
    return wrapper


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: every connection notices its writes."""
    if not any(getattr(w, "kompeten_data_version", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_noticed(connection.alias))


def _migration_started(**kwargs) -> None:
    _migrating.set()


def _migration_done(**kwargs) -> None:
    if _migrating.is_set():
        _migrating.clear()
        bump(kwargs.get("using", "default"))


def connect() -> None:
    connection_created.connect(install, dispatch_uid="kompeten-data-version")
    for connection in connections.all(initialized_only=True):
        install(None, connection)
    pre_migrate.connect(_migration_started, dispatch_uid="kompeten-data-version-pre")
    post_migrate.connect(_migration_done, dispatch_uid="kompeten-data-version-post")
