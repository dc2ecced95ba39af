"""ocop_backup and ocop_restore: the demo programme backed up, wiped and restored, compared
table by table and file by file; and every archive that must be refused."""

import copy
import hashlib
import io
import json
import re
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image

from ocop.accounts.models import User
from ocop.audit.selectors import chain_verify
from ocop.backups.archive import (
    MANIFEST,
    migration_problem,
    migration_state,
    saved_models,
    tables_holding_data,
)
from ocop.catalog.models import Listing
from ocop.catalog.selectors import CatalogFilters, search_page
from ocop.geo.services import units_load
from ocop.products.services import product_photo_add

QUERIES = ["ca phe", "che", "mat ong", "lang biang"]


def every_model():
    """Every table's model, found without the code under test."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def tables() -> dict[str, list[dict]]:
    """Every row of every table, all field values, in primary-key order."""
    return {
        m._meta.label_lower: list(m._base_manager.order_by("pk").values()) for m in every_model()
    }


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def search_hits() -> dict[str, list[int]]:
    return {
        q: [listing.pk for listing in search_page(CatalogFilters(q=q), page=1, per_page=100).page]
        for q in QUERIES
    }


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Demo:
    archive: Path
    tables: dict[str, list[dict]]
    files: dict[str, bytes]
    hits: dict[str, list[int]]
    output: str


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    """The demo programme with a product photo, backed up once for the module; the database
    and the files are wiped before the tests start (each test leaves them so: the
    transactional ones are flushed after, the others rolled back)."""
    root = tmp_path_factory.mktemp("backup")
    media = root / "media"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            units_load(province_codes={1, 14, 22, 68, 96})
            call_command("seed_demo", stdout=io.StringIO())
            listing = Listing.objects.select_related("product").order_by("pk").first()
            admin = User.objects.get(email="admin@demo.ocop.vn")
            photo = SimpleUploadedFile("ảnh sản phẩm.png", png(), content_type="image/png")
            product_photo_add(actor=admin, product=listing.product, file=photo)
            before = Demo(root / "demo.tar.gz", tables(), files(media), search_hits(), "")
            out = io.StringIO()
            call_command("ocop_backup", "--output", str(before.archive), stdout=out)
            before.output = out.getvalue()
        finally:  # the other test modules find the database as migrate left it
            call_command("flush", interactive=False, verbosity=0)
            shutil.rmtree(media, ignore_errors=True)
    return before


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def repack(src: Path, dst: Path, change, *, forge: bool = True) -> Path:
    """A copy of the archive with each member's bytes passed through change(name, data)
    (None leaves the member out). With `forge`, the manifest is written again with the
    changed members' sha256 and sizes, as a forger would."""
    fixed = {}
    with tarfile.open(src, "r:gz") as old, tarfile.open(dst, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == MANIFEST and forge:
                manifest = json.loads(data)
                for entry in manifest["tables"] + manifest["files"]:
                    key = entry.get("member") or "media/" + entry["name"]
                    if key in fixed:
                        entry["sha256"], entry["bytes"] = fixed[key]
                data = json.dumps(manifest).encode()
            changed = change(member.name, data)
            if changed is None:
                continue
            if changed != data and member.name != MANIFEST:
                fixed[member.name] = (hashlib.sha256(changed).hexdigest(), len(changed))
            info = copy.copy(member)
            info.size = len(changed)
            new.addfile(info, io.BytesIO(changed))
    return dst


def test_the_archive_holds_every_table_every_row_and_every_file(demo, db):
    assert re.search(r"Wrote .*demo\.tar\.gz: \d+ tables, [\d,]+ rows, \d+ files", demo.output)
    with tarfile.open(demo.archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    assert names[-1] == MANIFEST
    assert {t["model"] for t in manifest["tables"]} == set(demo.tables)
    assert {m._meta.label_lower for m in saved_models()} == set(demo.tables)
    assert {t["model"]: t["rows"] for t in manifest["tables"]} == {
        label: len(rows) for label, rows in demo.tables.items()
    }
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(data).hexdigest() for name, data in demo.files.items()
    }
    assert len(demo.files) >= 4  # the demo's PDFs and import, the photo and its copies
    assert manifest["migrations"] == migration_state()
    assert manifest["format_version"] == 1 and manifest["database_vendor"]
    assert sum(len(rows) for rows in demo.tables.values()) > 5000


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_row_and_every_file(demo, media):
    assert tables_holding_data() == []  # migrated, and content types and permissions made
    assert search_hits()["ca phe"] == []  # kept in the cache, which the restore must forget
    out = io.StringIO()
    call_command("ocop_restore", str(demo.archive), stdout=out)
    assert "Restored" in out.getvalue()
    after = tables()
    for label, rows in demo.tables.items():
        assert after[label] == rows, label
    assert files(media) == demo.files
    # The search index was filled as the listings were loaded.
    assert demo.hits["ca phe"] and search_hits() == demo.hits
    check = chain_verify()
    assert check.broken is None and check.entries == len(demo.tables["audit.auditevent"])
    # The sequences follow the restored rows: a new record gets a new key.
    user = User.objects.create_user(email="after-restore@test.ocop.vn")
    assert user.pk > max(row["id"] for row in demo.tables["accounts.user"])


@pytest.mark.django_db
def test_restore_refuses_a_database_holding_data(demo, media):
    User.objects.create_user(email="kept@test.ocop.vn")
    with pytest.raises(CommandError, match=r"already holds data: accounts\.user.*--yes"):
        call_command("ocop_restore", str(demo.archive))
    assert tables_holding_data() == [("accounts.user", 1)]
    assert not media.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_with_yes_replaces_the_data(demo, media):
    User.objects.create_user(email="replaced@test.ocop.vn")
    name = sorted(demo.files)[0]
    (media / name).parent.mkdir(parents=True)
    (media / name).write_bytes(b"another file under the same name")
    (media / "not-in-the-backup.txt").write_bytes(b"left alone")
    out = io.StringIO()
    call_command("ocop_restore", str(demo.archive), "--yes", stdout=out)
    assert tables() == demo.tables
    assert files(media) == {**demo.files, "not-in-the-backup.txt": b"left alone"}
    assert "1 file of the storage is not in the backup: left in place." in out.getvalue()


def _flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0xFF]) + data[1:]


def _unchanged(media: Path) -> None:
    assert tables_holding_data() == [("accounts.user", 1)]
    assert User.objects.get().email == "kept@test.ocop.vn"
    assert files(media) == {"kept.txt": b"kept"}


@pytest.fixture
def kept(media):
    """A database and storage holding a little, which a refused restore must leave so."""
    User.objects.create_user(email="kept@test.ocop.vn")
    media.mkdir()
    (media / "kept.txt").write_bytes(b"kept")


# Refused before anything is written: these need no transaction of their own.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "damage, message",
    [
        ("a file changed", r"media/documents/.* differs from the backup made"),
        ("a row changed", r"data/producers\.producer\.jsonl.* differs from the backup made"),
        ("a file removed", r"media/.*, listed in its manifest, is missing"),
        ("truncated", r"incomplete"),
        ("not a backup", r"damaged or incomplete"),
    ],
)
def test_a_damaged_archive_is_refused_and_changes_nothing(
    demo, media, kept, tmp_path, damage, message
):
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncated":
        data = demo.archive.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "not a backup":
        bad.write_bytes(b"PK\x03\x04 this is a zip file, or something else")
    else:
        dropped = sorted(n for n in demo.files if n.startswith("documents/"))[0]

        def change(name, data):
            if damage == "a file changed" and name == "media/" + dropped:
                return _flip_first_byte(data)
            if damage == "a row changed" and name == "data/producers.producer.jsonl":
                return data.replace("Hợp tác xã".encode(), "Hợp tác xa".encode(), 1)
            if damage == "a file removed" and name == "media/" + dropped:
                return None
            return data

        repack(demo.archive, bad, change, forge=False)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("ocop_restore", str(bad), "--yes")
    assert "Nothing was changed" in str(refused.value)
    _unchanged(media)


@pytest.mark.django_db(transaction=True)
def test_rows_that_do_not_hold_together_are_refused_as_a_whole(demo, media, kept, tmp_path):
    def dangling(name, data):
        if name != "data/products.product.jsonl":
            return data
        rows = [json.loads(line) for line in data.splitlines()]
        rows[-1]["fields"]["producer"] = 999_999
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()

    bad = repack(demo.archive, tmp_path / "dangling.tar.gz", dangling)
    with pytest.raises(CommandError, match=r"rows do not hold together"):
        call_command("ocop_restore", str(bad), "--yes")
    _unchanged(media)  # the emptied tables came back with the rollback


@pytest.mark.django_db(transaction=True)
def test_a_file_that_cannot_be_written_undoes_the_whole_restore(demo, media, kept):
    names = sorted(demo.files)
    (media / names[-1]).mkdir(parents=True)  # a folder where the last file must go
    with pytest.raises(CommandError, match=r"could not be written.*database left as it was"):
        call_command("ocop_restore", str(demo.archive), "--yes")
    assert tables_holding_data() == [("accounts.user", 1)]
    # The files written before it were removed again.
    assert {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()} == {
        "kept.txt"
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit, message",
    [
        ("newer", r"newer version of the platform.*catalog\.9999_from_the_future"),
        ("older", r"older version of the platform"),
    ],
)
def test_a_backup_of_another_migration_state_is_refused(demo, media, kept, tmp_path, edit, message):
    def migrations(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        if edit == "newer":
            manifest["migrations"]["catalog"].append("9999_from_the_future")
        else:
            manifest["migrations"]["catalog"].pop()
        return json.dumps(manifest).encode()

    bad = repack(demo.archive, tmp_path / f"{edit}.tar.gz", migrations)
    with pytest.raises(CommandError, match=message):
        call_command("ocop_restore", str(bad), "--yes")
    _unchanged(media)


def test_migration_problem_names_what_to_do():
    here = {"catalog": ["0001_initial", "0002_search_index"], "geo": ["0001_initial"]}
    known = {("catalog", "0001_initial"), ("catalog", "0002_search_index"), ("geo", "0001_initial")}
    assert migration_problem(backup=here, target=here, known=known) is None
    behind = {"catalog": ["0001_initial"], "geo": ["0001_initial"]}
    assert "migrate first" in migration_problem(backup=here, target=behind, known=known)
    assert "catalog.0002_search_index" in migration_problem(backup=here, target=behind, known=known)
    assert "older version" in migration_problem(backup=behind, target=here, known=known)
    newer = {**here, "geo": ["0001_initial", "0002_more"]}
    assert "newer version" in migration_problem(backup=newer, target=here, known=known)


def test_backup_names_its_archive_and_never_overwrites(db, media, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("ocop_backup", stdout=out)
    (archive,) = tmp_path.glob("ocop-backup-*.tar.gz")
    assert re.fullmatch(r"ocop-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert f"Wrote {archive.name}: " in out.getvalue() and "0 files" in out.getvalue()
    with pytest.raises(CommandError, match="exists already"):
        call_command("ocop_backup", "--output", str(archive))
    media.mkdir()
    with pytest.raises(CommandError, match="is in the media folder"):
        call_command("ocop_backup", "--output", str(media))
    assert not list(tmp_path.glob("*.partial"))
