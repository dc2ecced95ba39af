"""Importing a province's records: upload, map the columns, check (dry run), apply, revert.

Rules: only the province's officers (or the centre's) import into it; a file is checked
before anything is written and is applied as a whole, in one transaction (rows in error
are left out only when the officer says so); the same file applied twice changes nothing;
an applied import can be reverted as a whole while nothing made since depends on it; each
step is audited. Files of more than `IMPORT_BACKGROUND_ROWS` rows are applied by the worker.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record

from . import engine
from .columns import FIELDS, HEADER_WORDS, KINDS, guess_mapping, kind_fields, missing_fields
from .models import ColumnMapping, ImportChange, ImportJob, ImportStatus
from .table import FileProblem, Table, read_table

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000


def may_import(actor: User, province) -> bool:
    return province is not None and can(actor, Action.IMPORT_MANAGE, province)


def _require(actor: User, job_or_province) -> None:
    province = getattr(job_or_province, "province", job_or_province)
    if not may_import(actor, province):
        raise PermissionDenied


def _read(content: bytes, name: str) -> Table:
    try:
        return read_table(content, name, header_words=HEADER_WORDS)
    except FileProblem as problem:
        raise ValidationError({"file": problem.text()}, code="file") from None


def job_upload(*, actor: User, province, kind: str, file) -> ImportJob:
    """Read the file (refusing what cannot be imported, with the reason), guess its columns
    from the headings (the province's last mapping first) and keep it for the dry run."""
    _require(actor, province)
    if kind not in KINDS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    name = (getattr(file, "name", "") or "import").rsplit("/", 1)[-1][:255]
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Import an Excel workbook (.xlsx) or a CSV file.")})
    if file.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is too large: at most %(mb)s MB.")
             % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}}
        )  # fmt: skip
    content = file.read()
    table = _read(content, name)
    remembered = ColumnMapping.objects.filter(province=province, kind=kind).first()
    guessed = guess_mapping(table.headers, kind, remembered.mapping if remembered else None)
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            province=province,
            original_name=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            mapping={key: table.headers[i] for key, i in guessed.items()},
            rows_total=len(table.rows),
            created_by=actor,
        )
        job.file.save(name, ContentFile(content), save=False)
        job.save()
        audit_record(
            actor=actor,
            action="import.upload",
            target=job,
            changes={"file": name, "sha256": job.sha256, "rows": job.rows_total, "kind": kind},
        )
    return job


def job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        return _read(handle.read(), job.original_name)


def _columns(job: ImportJob, table: Table) -> dict[str, int]:
    return {key: table.headers.index(h) for key, h in job.mapping.items() if h in table.headers}


def job_map(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Set which heading gives each field (empty: none); remembered for the province."""
    _require(actor, job)
    _editable(job)
    table = job_table(job)
    clean = {}
    used: dict[str, str] = {}
    for key in kind_fields(job.kind):
        heading = (mapping.get(key) or "").strip()
        if not heading:
            continue
        if heading not in table.headers:
            raise ValidationError({key: _("The file has no column “%(h)s”.") % {"h": heading}})
        if heading in used:
            raise ValidationError(
                {key: _("The column “%(h)s” already gives %(f)s.")
                 % {"h": heading, "f": _(FIELDS[used[heading]].label)}}
            )  # fmt: skip
        used[heading] = key
        clean[key] = heading
    missing = missing_fields(dict.fromkeys(clean, 0), job.kind)
    if missing:
        raise ValidationError(
            _("Choose the columns of: %(fields)s.")
            % {"fields": ", ".join(_(FIELDS[k].label) for k in missing)}
        )
    job.mapping = clean
    job.status = ImportStatus.UPLOADED
    job.save(update_fields=["mapping", "status"])
    ColumnMapping.objects.update_or_create(
        province=job.province, kind=job.kind, defaults={"mapping": clean}
    )
    return job


def _editable(job: ImportJob) -> None:
    if job.stalled:
        return
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        raise ValidationError(_("This import is %(s)s.") % {"s": job.get_status_display()})


def _plan(job: ImportJob, progress=None) -> engine.Plan:
    table = job_table(job)
    columns = _columns(job, table)
    missing = missing_fields(columns, job.kind)
    if missing:
        raise ValidationError(
            _("Choose the columns of: %(fields)s.")
            % {"fields": ", ".join(_(FIELDS[k].label) for k in missing)}
        )
    return engine.plan_rows(
        table=table,
        mapping=columns,
        kind=job.kind,
        province=job.province,
        choices={k: int(v) for k, v in (job.choices or {}).items()},
        progress=progress,
    )


def job_check(*, actor: User, job: ImportJob, choices: dict[str, int] | None = None):
    """The dry run: what applying would do, row by row. Writes nothing but the report."""
    _require(actor, job)
    _editable(job)
    if choices:
        job.choices = {**(job.choices or {}), **{k: int(v) for k, v in choices.items() if v}}
    plan = _plan(job)
    job.report = [row.as_json() for row in plan.rows]
    job.summary = plan.summary()
    job.status = ImportStatus.CHECKED
    job.checked_at = timezone.now()
    job.error = ""
    job.save(update_fields=["report", "summary", "status", "checked_at", "choices", "error"])
    return job


def job_apply(
    *, actor: User, job: ImportJob, skip_errors: bool = False, background: bool | None = None
) -> ImportJob:
    """Apply a checked import: now, or by the worker (by default for a large file)."""
    _require(actor, job)
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(_("Check the file (dry run) before applying it."))
    errors = job.summary.get("rows", {}).get("error", 0)
    if errors and not skip_errors:
        raise ValidationError(
            _("%(n)s rows have errors: correct the file, or choose to leave them out.")
            % {"n": errors}
        )
    job.summary = {**job.summary, "skip_errors": bool(skip_errors)}
    if background is None:
        background = job.rows_total > settings.IMPORT_BACKGROUND_ROWS
    if background:
        from .tasks import apply_import

        job.status = ImportStatus.QUEUED
        job.rows_done = 0
        job.save(update_fields=["status", "summary", "rows_done"])
        transaction.on_commit(lambda: apply_import.enqueue(job.pk, actor.pk))
        return job
    job.save(update_fields=["summary"])
    return job_apply_now(job_id=job.pk, actor=actor)


def job_apply_now(*, job_id: int, actor: User) -> ImportJob:
    """Read the file against the register again (it may have changed since the dry run),
    then write it in one transaction. On failure nothing is written and the job says why."""
    job = ImportJob.objects.get(pk=job_id)
    skip = job.summary.get("skip_errors", False)

    def progress(done: int):
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, updated_at=timezone.now())

    try:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.APPLYING, rows_done=0, updated_at=timezone.now()
        )
        plan = _plan(job, progress=progress)
        summary = plan.summary()
        if summary["rows"]["error"] and not skip:
            raise ValidationError(
                _("%(n)s rows have errors since the dry run: check the file again.")
                % {"n": summary["rows"]["error"]}
            )
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            counts = engine.apply_plan(plan=plan, job=job, actor=actor)
            job.status = ImportStatus.APPLIED
            job.applied_at = timezone.now()
            job.rows_done = job.rows_total
            job.report = [row.as_json() for row in plan.rows]
            job.summary = {**summary, "skip_errors": skip, "written": counts}
            job.error = ""
            job.save()
            audit_record(
                actor=actor,
                action="import.apply",
                target=job,
                changes={"sha256": job.sha256, "written": counts, "rows": summary["rows"]},
            )
            products = list(
                job.changes.filter(model="products.product").values_list("object_id", flat=True)
            ) + _certificate_products(job)
            transaction.on_commit(lambda: listings_refresh(product_ids=products))
    except Exception as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else repr(exc)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=message, updated_at=timezone.now()
        )
        if not isinstance(exc, ValidationError):
            log.exception("import %s failed", job_id)
        raise
    return job


def _certificate_products(job: ImportJob) -> list[int]:
    from ocop.certificates.models import Certificate

    ids = job.changes.filter(model="certificates.certificate").values_list("object_id")
    return list(Certificate.objects.filter(pk__in=ids).values_list("product_id", flat=True))


def listings_refresh(*, product_ids) -> None:
    """The catalogue follows the register: inline for a few products, by the worker for
    many."""
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return
    if len(product_ids) > settings.IMPORT_BACKGROUND_ROWS // 10:
        from .tasks import refresh_listings

        refresh_listings.enqueue(product_ids)
        return
    refresh_listings_now(product_ids)


def refresh_listings_now(product_ids) -> int:
    from ocop.catalog.services import listing_refresh
    from ocop.products.models import Product

    listed = 0
    for product in Product.objects.filter(pk__in=product_ids):
        listed += listing_refresh(product=product) is not None
    return listed


REVERT_ORDER = (
    "certificates.certificate",
    "certificates.decisionitem",
    "certificates.recognitiondecision",
    "products.product",
    "producers.producer",
)


@transaction.atomic
def job_revert(*, actor: User, job: ImportJob) -> ImportJob:
    """Undo an applied import: what it changed gets its values back, what it created is
    deleted. Refused, with nothing undone, when a record made since depends on it."""
    from django.apps import apps

    _require(actor, job)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.APPLIED:
        raise ValidationError(_("Only an applied import can be reverted."))
    changes = list(job.changes.order_by("-id"))
    touched_products = set(_certificate_products(job))
    for change in changes:
        if change.action == ImportChange.Action.UPDATE:
            model = apps.get_model(change.model)
            obj = model.objects.select_for_update().get(pk=change.object_id)
            for key, value in change.before.items():
                setattr(obj, key, value)
            obj.save(update_fields=list(change.before))
            if change.model == "products.product":
                touched_products.add(obj.pk)
    created = [c for c in changes if c.action == ImportChange.Action.CREATE]
    try:
        with transaction.atomic():
            for label in REVERT_ORDER:
                ids = [c.object_id for c in created if c.model == label]
                for start in range(0, len(ids), 500):
                    apps.get_model(label).objects.filter(pk__in=ids[start : start + 500]).delete()
    except ProtectedError as exc:
        names = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
        raise ValidationError(
            _("Records made since the import depend on it (%(what)s): it cannot be reverted.")
            % {"what": ", ".join(names)}
        ) from None
    job.status = ImportStatus.REVERTED
    job.reverted_at = timezone.now()
    job.reverted_by = actor
    job.save(update_fields=["status", "reverted_at", "reverted_by"])
    audit_record(
        actor=actor,
        action="import.revert",
        target=job,
        changes={"deleted": len(created), "restored": len(changes) - len(created)},
    )
    from ocop.products.models import Product

    remaining = set(Product.objects.filter(pk__in=touched_products).values_list("pk", flat=True))
    transaction.on_commit(lambda: listings_refresh(product_ids=remaining))
    return job
