"""Backups of the whole platform in one .tar.gz archive, and their restoration.

An archive holds, in this order:

- `data/<app_label>.<model>.jsonl`: every row of every table of every installed model
  (many-to-many tables included), one JSON object a line, as Django's JSON Lines serializer
  writes them (original primary keys, no natural keys), streamed so that a big table never
  sits in memory;
- `media/<name>`: every file of the default storage (uploads);
- `manifest.json`, last because it carries the sha256 of every member above: the format
  version, when the backup was made, from which database, the migrations applied per app,
  and each table's row count.

A restore reads the whole archive once and refuses it, changing nothing, if anything does
not match the manifest (a damaged, truncated or altered archive) or if the database's
migrations differ from the backup's. It then empties every table and loads the backup's
rows in one transaction (foreign keys are checked at its end: Django creates them deferred
on SQLite and PostgreSQL), resets PostgreSQL's sequences, and writes the files last, still
inside the transaction, so that a failure anywhere leaves the database as it was.

Content types and permissions are emptied and loaded like every other table, with the
backup's primary keys, so nothing that points to them changes meaning. The catalogue's
search index needs nothing: on SQLite its FTS5 table is kept by triggers on the listings
(emptied on delete, filled on insert), on PostgreSQL it is a generated column.
"""

from __future__ import annotations

import dataclasses
import datetime
import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

FORMAT = "ocop-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA, MEDIA = "data/", "media/"
CHUNK = 2000  # rows read or inserted at a time
COPY = 1024 * 1024  # bytes copied at a time
SPOOL = 16 * 1024 * 1024  # a restored file larger than this is staged on disk, not in memory
# Tables that `migrate` fills by itself (content types and permissions after it ran, the
# audit chain's head from audit's migration 0002): a database holding only these is empty.
CREATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "audit.auditchain"}


class BackupError(Exception):
    """A backup or a restore refused, with a sentence saying why."""


@dataclasses.dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    file_bytes: int
    archive_bytes: int
    seconds: float
    created_at: str
    vendor: str
    files_left: int = 0  # restore: files of the storage that the backup does not hold


class _Encoder(DjangoJSONEncoder):
    """Times with their microseconds: DjangoJSONEncoder cuts them to milliseconds (as
    ECMA-262 does), which would change every timestamp restored, and the audit log's hash
    chain, which hashes them."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _Hashing(io.RawIOBase):
    """A file read through, counting its bytes and their sha256."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.sha256.update(data)
        self.size += len(data)
        return len(data)


class _Text:
    """A text stream over a binary file that encodes in large pieces: json.dump writes a
    few characters at a time, which TextIOWrapper encodes one by one (a third of the time
    of a backup)."""

    def __init__(self, raw):
        self.raw, self.parts = raw, []

    def write(self, text: str) -> None:
        self.parts.append(text)
        if len(self.parts) >= 50_000:
            self.flush()

    def flush(self) -> None:
        self.raw.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()


def saved_models(using: str = DEFAULT_DB_ALIAS) -> list[type[Model]]:
    """Every model whose table a backup holds: installed, managed, not a proxy, with the
    tables of many-to-many fields; those with natural keys first (as dumpdata orders them;
    the order does not matter otherwise, foreign keys being checked at commit)."""
    by_app = []
    for app_config in apps.get_app_configs():
        models = [
            m
            for m in app_config.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and router.allow_migrate_model(using, m)
        ]
        if models:
            by_app.append((app_config, models))
    return serializers.sort_dependencies(by_app, allow_cycles=True)


def _member(model: type[Model]) -> str:
    return f"{DATA}{model._meta.label_lower}.jsonl"


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The migrations applied to the database, by app, in name order."""
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


def _listed(names: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{app}.{name}" for app, name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def migration_problem(
    *,
    backup: dict[str, list[str]],
    target: dict[str, list[str]],
    known: set[tuple[str, str]],
) -> str | None:
    """Why a backup made at migration state `backup` cannot be loaded into a database at
    `target` (this code knowing the migrations `known`), or None when the states are equal:
    rows only fit the tables of the schema they were read from."""
    made = {(app, name) for app, names in backup.items() for name in names}
    here = {(app, name) for app, names in target.items() for name in names}
    if made == here:
        return None
    ahead = sorted(made - here)
    unknown = [m for m in ahead if m not in known]
    if unknown:
        return (
            "The backup is from a newer version of the platform: it was made after "
            f"migrations this code does not have ({_listed(unknown)}). Install that version, "
            "run manage.py migrate, then restore."
        )
    if ahead:
        return (
            "The database is behind the backup: run manage.py migrate first (not applied "
            f"here: {_listed(ahead)})."
        )
    return (
        "The backup is from an older version of the platform: this database has migrations "
        f"the backup was made without ({_listed(sorted(here - made))}). Restore it with the "
        "version that made it (then upgrade and migrate), or into a database migrated only "
        "as far as the backup."
    )


def _storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no upload yet: the folder does not exist
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _storage_names(storage, f"{folder}/{name}" if folder else name)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and str(path) == name


def _inside(path: Path, storage: Storage) -> bool:
    try:
        root = Path(storage.path("")).resolve()
    except NotImplementedError:  # a remote storage: the archive cannot be inside it
        return False
    return path.resolve().is_relative_to(root)


def default_path(now: datetime.datetime | None = None) -> Path:
    now = timezone.localtime(now)
    return Path(f"ocop-backup-{now:%Y%m%d-%H%M%S}.tar.gz")


def _add(tar: tarfile.TarFile, name: str, fileobj, size: int, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o644
    tar.addfile(info, fileobj)


@contextmanager
def _snapshot(using: str):
    """One consistent view of every table while they are read: a transaction (on SQLite it
    holds the write lock, readers go on; on PostgreSQL a read-only repeatable-read one)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _dump(tar: tarfile.TarFile, model: type[Model], using: str, mtime: float) -> dict:
    # Many-to-many fields are left out: their tables are saved as tables of their own.
    fields = [f.name for f in model._meta.local_fields if f.serialize]
    rows = 0

    def counted():
        nonlocal rows
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK):
            rows += 1
            yield obj

    with tempfile.TemporaryFile() as spool:
        text = _Text(spool)
        serializers.serialize("jsonl", counted(), stream=text, fields=fields, cls=_Encoder)
        text.flush()
        size = spool.tell()
        spool.seek(0)
        reader = _Hashing(spool)
        _add(tar, _member(model), reader, size, mtime)
    return {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "member": _member(model),
        "rows": rows,
        "bytes": size,
        "sha256": reader.sha256.hexdigest(),
    }


def _copy_in(tar: tarfile.TarFile, storage: Storage, name: str, mtime: float) -> dict:
    size = storage.size(name)
    with storage.open(name, "rb") as file:
        reader = _Hashing(file)
        try:
            _add(tar, MEDIA + name, reader, size, mtime)
        except OSError:
            if reader.size < size:
                raise BackupError(
                    f"The file {name} shrank while it was copied: run the backup again."
                ) from None
            raise
    return {"name": name, "bytes": size, "sha256": reader.sha256.hexdigest()}


def backup_write(
    path: Path | str | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
) -> tuple[Summary, dict]:
    """Write the archive of every table and every uploaded file to `path` (a file that does
    not exist yet, or a folder; default: ocop-backup-YYYYmmdd-HHMMSS.tar.gz here). It is
    written beside under a .partial name and renamed once complete, so a backup that fails
    half-way never looks like one. Returns its summary and its manifest."""
    started = time.perf_counter()
    storage = storage or default_storage
    path = Path(path) if path else default_path()
    if path.is_dir():
        path = path / default_path().name
    if path.exists():
        raise BackupError(f"{path} exists already: choose another --output.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}.")
    if _inside(path, storage):
        raise BackupError(f"{path} is in the media folder, which is backed up: write it elsewhere.")
    partial = path.with_name(path.name + ".partial")
    created = timezone.now()
    mtime = created.timestamp()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat(),
        "django": django.get_version(),
        "database_vendor": connections[using].vendor,
        "migrations": {},
        "tables": [],
        "files": [],
    }
    try:
        with open(partial, "xb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
            with _snapshot(using):
                manifest["migrations"] = migration_state(using)
                for model in saved_models(using):
                    manifest["tables"].append(_dump(tar, model, using, mtime))
            # The files after the rows: a file uploaded meanwhile is saved without its
            # record, never a record without its file.
            for name in _storage_names(storage):
                if not _safe_name(name):
                    raise BackupError(f"The file name {name!r} cannot be restored: rename it.")
                manifest["files"].append(_copy_in(tar, storage, name, mtime))
            body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            _add(tar, MANIFEST, io.BytesIO(body), len(body), mtime)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return _summary(path, manifest, started), manifest


def _summary(path: Path, manifest: dict, started: float) -> Summary:
    return Summary(
        path=path,
        tables=len(manifest["tables"]),
        rows=sum(t["rows"] for t in manifest["tables"]),
        files=len(manifest["files"]),
        file_bytes=sum(f["bytes"] for f in manifest["files"]),
        archive_bytes=path.stat().st_size,
        seconds=time.perf_counter() - started,
        created_at=manifest["created_at"],
        vendor=manifest["database_vendor"],
    )


def tables_holding_data(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, int]]:
    """The tables holding rows (model label, count), besides those migrate fills itself."""
    held = []
    for model in saved_models(using):
        if model._meta.label_lower not in CREATED_BY_MIGRATE:
            count = model._base_manager.using(using).count()
            if count:
                held.append((model._meta.label_lower, count))
    return held


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} cannot be restored: {why}. Nothing was changed.")


def _parsed_manifest(path: Path, body: bytes) -> dict:
    try:
        manifest = json.loads(body)
        if manifest.get("format") != FORMAT:
            raise _damaged(path, "it is not an archive written by ocop_backup")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise _damaged(
                path,
                f"it is in format {manifest.get('format_version')!r}, this version reads "
                f"format {FORMAT_VERSION}",
            )
        for table in manifest["tables"]:
            if table["member"] != f"{DATA}{table['model']}.jsonl":
                raise _damaged(path, f"its manifest names {table['member']!r} for a table")
            int(table["rows"]), int(table["bytes"]), str(table["sha256"])
        for file in manifest["files"]:
            if not _safe_name(file["name"]):
                raise _damaged(path, f"its manifest names a file {file['name']!r}")
            int(file["bytes"]), str(file["sha256"])
        dict(manifest["migrations"]), str(manifest["created_at"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _damaged(path, f"its manifest cannot be read ({exc!r})") from exc
    return manifest


def _verified_manifest(path: Path) -> dict:
    """Read the whole archive once and return its manifest if every member is there and
    matches it (size, sha256, row count), nothing more; else refuse."""
    seen: dict[str, tuple[int, str, int]] = {}
    manifest = None
    in_media = False
    with tarfile.open(path, mode="r|gz") as tar:
        for member in tar:
            name = member.name
            if manifest is not None:
                raise _damaged(path, f"it holds {name!r} after its manifest")
            if not member.isfile():
                raise _damaged(path, f"it holds {name!r}, which is not a file")
            fileobj = tar.extractfile(member)
            if name == MANIFEST:
                manifest = _parsed_manifest(path, fileobj.read())
                continue
            if name in seen:
                raise _damaged(path, f"it holds {name!r} twice")
            if name.startswith(MEDIA) and _safe_name(name.removeprefix(MEDIA)):
                in_media = True
            elif not (name.startswith(DATA) and not in_media):
                raise _damaged(path, f"it holds an unexpected entry {name!r}")
            reader, lines = _Hashing(fileobj), 0
            while chunk := reader.read(COPY):
                lines += chunk.count(b"\n")
            seen[name] = (reader.size, reader.sha256.hexdigest(), lines)
    if manifest is None:
        raise _damaged(path, "it has no manifest (it is incomplete, or not a backup)")
    expected = {t["member"]: (t["bytes"], t["sha256"], t["rows"]) for t in manifest["tables"]}
    for file in manifest["files"]:
        expected[MEDIA + file["name"]] = (file["bytes"], file["sha256"], None)
    for name in sorted(expected.keys() - seen.keys()):
        raise _damaged(path, f"{name!r}, listed in its manifest, is missing")
    for name in sorted(seen.keys() - expected.keys()):
        raise _damaged(path, f"it holds {name!r}, which its manifest does not list")
    for name, (size, sha256, rows) in expected.items():
        got_size, got_sha256, got_lines = seen[name]
        if (got_size, got_sha256) != (size, sha256) or rows not in (None, got_lines):
            raise _damaged(
                path,
                f"{name!r} differs from the backup made (its sha256 is {got_sha256[:16]}…, "
                f"the manifest says {str(sha256)[:16]}…): the archive was changed or damaged",
            )
    return manifest


def _insert(model: type[Model], objs: list[Model], using: str) -> None:
    # A raw insert, as loaddata's save(raw=True) makes, in batches: bulk_create() would
    # give auto_now fields the time of the restore, save() costs a query a row.
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = max(1, min(CHUNK, connections[using].ops.bulk_batch_size(fields, objs)))
    manager = model._base_manager.db_manager(using)
    for start in range(0, len(objs), size):
        manager._insert(objs[start : start + size], fields=fields, using=using, raw=True)


def _load_table(path: Path, fileobj, model: type[Model], entry: dict, using: str) -> None:
    reader = _Hashing(fileobj)
    batch, rows = [], 0
    try:
        for item in serializers.deserialize("jsonl", io.BufferedReader(reader, COPY)):
            if type(item.object) is not model:
                raise _damaged(path, f"{entry['member']!r} holds rows of another table")
            batch.append(item.object)
            if len(batch) == CHUNK:
                _insert(model, batch, using)
                rows, batch = rows + len(batch), []
        _insert(model, batch, using)
    except DeserializationError as exc:
        raise _damaged(path, f"a row of {entry['member']!r} cannot be read ({exc})") from exc
    if reader.sha256.hexdigest() != entry["sha256"] or rows + len(batch) != entry["rows"]:
        raise _damaged(path, f"{entry['member']!r} changed while it was restored")


def _database_finish(path: Path, models: list[type[Model]], using: str) -> None:
    connection = connections[using]
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except IntegrityError as exc:
        raise _damaged(path, f"its rows do not hold together ({exc})") from exc
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _file_sha256(storage: Storage, name: str) -> str:
    with storage.open(name, "rb") as file:
        reader = _Hashing(file)
        while reader.read(COPY):
            pass
    return reader.sha256.hexdigest()


def _put(path: Path, storage: Storage, entry: dict, fileobj, written: list[str]) -> None:
    try:
        _write(path, storage, entry, fileobj, written)
    except OSError as exc:
        raise BackupError(
            f"The file {entry['name']} could not be written ({exc}): the restore was undone, "
            "the database left as it was and the files already written removed."
        ) from exc


def _write(path: Path, storage: Storage, entry: dict, fileobj, written: list[str]) -> None:
    name = entry["name"]
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as staged:
        reader = _Hashing(fileobj)
        shutil.copyfileobj(reader, staged, COPY)
        if reader.sha256.hexdigest() != entry["sha256"]:
            raise _damaged(path, f"{MEDIA}{name!r} changed while it was restored")
        if storage.exists(name):
            if _file_sha256(storage, name) == entry["sha256"]:
                return
            storage.delete(name)
        staged.seek(0)
        saved = storage.save(name, File(staged, name=name))
        written.append(saved)
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}: restore refused.")


def _load(path: Path, manifest: dict, models: dict, using: str, storage, written) -> None:
    """Second reading of the archive, inside the restore's transaction: the rows, then
    (the database complete and checked) the files."""
    tables = {t["member"]: t for t in manifest["tables"]}
    files = {MEDIA + f["name"]: f for f in manifest["files"]}
    finished = False
    with tarfile.open(path, mode="r|gz") as tar:
        for member in tar:
            if member.name in tables:
                entry = tables[member.name]
                model = models[entry["model"]]
                _load_table(path, tar.extractfile(member), model, entry, using)
            elif member.name in files:
                if not finished:
                    _database_finish(path, list(models.values()), using)
                    finished = True
                _put(path, storage, files[member.name], tar.extractfile(member), written)
    if not finished:
        _database_finish(path, list(models.values()), using)


def restore(
    path: Path | str,
    *,
    replace: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
) -> Summary:
    """Replace the database's rows and add the files of the archive at `path`, all or
    nothing. Refused when the database holds data (unless `replace`), when the archive
    does not match its manifest, or when the database's migrations differ from the
    backup's. A file of the storage under the name of one of the backup's is replaced;
    files that the backup does not hold are left in place."""
    started = time.perf_counter()
    storage = storage or default_storage
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    if not replace:
        held = tables_holding_data(using)
        if held:
            listed = ", ".join(
                f"{label} ({count} row{'s' if count > 1 else ''})" for label, count in held[:3]
            )
            more = f" and {len(held) - 3} more tables" if len(held) > 3 else ""
            raise BackupError(
                f"The database already holds data: {listed}{more}. A restore replaces "
                "everything in it by the backup; add --yes to do that."
            )
    written: list[str] = []
    try:
        manifest = _verified_manifest(path)
        connection = connections[using]
        problem = migration_problem(
            backup=manifest["migrations"],
            target=migration_state(using),
            known=set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations),
        )
        if problem:
            raise BackupError(problem + " Nothing was changed.")
        models = {m._meta.label_lower: m for m in saved_models(using)}
        in_backup = {t["model"] for t in manifest["tables"]}
        if in_backup != set(models):
            odd = sorted(in_backup ^ set(models))
            raise BackupError(
                "The backup's tables are not this database's "
                f"({', '.join(odd[:5])}): nothing was changed."
            )
        with transaction.atomic(using=using):
            statements = sql_flush(no_style(), connection, reset_sequences=False)
            connection.ops.execute_sql_flush(statements)
            _load(path, manifest, models, using, storage, written)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        _remove(storage, written)
        raise _damaged(path, f"it is damaged or incomplete ({exc})") from exc
    except BaseException:
        _remove(storage, written)
        raise
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()  # the cached ids may name other types now
    # What the caches hold was worked out from the rows just replaced.
    from ocop.catalog.selectors import catalogue_changed
    from ocop.reports.figures import figures_changed

    figures_changed()
    catalogue_changed()
    restored = {f["name"] for f in manifest["files"]}
    left = sum(1 for name in _storage_names(storage) if name not in restored)
    return dataclasses.replace(_summary(path, manifest, started), files_left=left)


def _remove(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
