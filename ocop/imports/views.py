from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.forms import add_service_error

from . import selectors, services
from .columns import FIELDS
from .engine import messages as messages_of
from .forms import MappingForm, UploadForm
from .models import ImportKind, ImportStatus
from .template_files import template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_ROWS = 100


RECORDS = {
    "producer": _lazy("producer"),
    "product": _lazy("product"),
    "decision": _lazy("decision"),
    "certificate": _lazy("certificate"),
}
ACTIONS = {"create": _lazy("will create"), "update": _lazy("will update"),
           "unchanged": _lazy("unchanged")}  # fmt: skip


def _records_text(records: dict) -> str:
    return " · ".join(f"{RECORDS.get(k, k)}: {ACTIONS.get(v, v)}" for k, v in records.items())


def _allowed(request):
    if not can(request.user, Action.IMPORT_MANAGE):
        raise PermissionDenied


@login_required
def jobs(request):
    _allowed(request)
    provinces = selectors.provinces_for(user=request.user)
    form = UploadForm(request.POST or None, request.FILES or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_upload(
                actor=request.user,
                province=form.cleaned_data["province"],
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The file is read: check its columns, then run the dry run.")
            )
            return redirect(job)
    page = Paginator(selectors.job_visible(user=request.user), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "kinds": ImportKind.choices}
    return render(request, "imports/jobs.html", context)


@login_required
def template(request, kind: str):
    _allowed(request)
    if kind not in ImportKind.values:
        raise Http404
    response = HttpResponse(template_xlsx(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


def _job(request, pk: int):
    job = selectors.job_visible(user=request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    mapping_form = None
    if job.stalled or job.status in (
        ImportStatus.UPLOADED,
        ImportStatus.CHECKED,
        ImportStatus.FAILED,
    ):
        try:
            headers = services.job_table(job).headers
        except ValidationError:
            headers = []
        mapping_form = MappingForm(job=job, headers=headers)
    outcome = request.GET.get("outcome", "")
    rows = selectors.report_page(job, outcome=outcome)
    page = Paginator(rows, REPORT_ROWS).get_page(request.GET.get("page"))
    page.object_list = [
        {
            **r,
            "records_text": _records_text(r.get("records", {})),
            "errors": messages_of(r.get("errors", [])),
            "warnings": messages_of(r.get("warnings", [])),
        }
        for r in page.object_list
    ]
    context = {
        "job": job,
        "mapping_form": mapping_form,
        "page": page,
        "outcome": outcome,
        "query": f"outcome={outcome}" if outcome else "",
        "choices": selectors.choices_needed(job) if job.status == ImportStatus.CHECKED else [],
        "rows": job.summary.get("rows", {}),
        "records": [
            (RECORDS.get(k, k), [(ACTIONS.get(a, a), n) for a, n in v.items()])
            for k, v in job.summary.get("records", {}).items()
        ],
        "written": job.summary.get("written"),
        "labels": {k: _(f.label) for k, f in FIELDS.items()},
        "history": audit_history(target=job)[:20],
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.APPLYING) and not job.stalled,
    }
    return render(request, "imports/job.html", context)


@login_required
def job_progress(request, pk: int):
    """The progress of a background apply (htmx polls it; 286 stops the polling)."""
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if job.status not in (ImportStatus.QUEUED, ImportStatus.APPLYING):
        response.status_code = 286
        response["HX-Refresh"] = "true"
    return response


def _act(request, job, action, success: str):
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(job)


@login_required
@require_POST
def job_map(request, pk: int):
    job = _job(request, pk)
    mapping = {key: request.POST.get(key, "") for key in FIELDS}
    return _act(
        request,
        job,
        lambda: services.job_map(actor=request.user, job=job, mapping=mapping),
        _("The columns are saved, and remembered for the province's next import."),
    )


@login_required
@require_POST
def job_check(request, pk: int):
    job = _job(request, pk)
    choices = {
        request.POST.get(f"address_{n}", ""): value
        for n in range(200)
        if (value := request.POST.get(f"commune_{n}", "")).isdigit()
    }
    choices.pop("", None)
    return _act(
        request,
        job,
        lambda: services.job_check(actor=request.user, job=job, choices=choices),
        _("The dry run is done: nothing is written yet. Read the report below."),
    )


@login_required
@require_POST
def job_apply(request, pk: int):
    job = _job(request, pk)
    skip = request.POST.get("skip_errors") == "on"
    return _act(
        request,
        job,
        lambda: services.job_apply(actor=request.user, job=job, skip_errors=skip),
        _("The import is applied.")
        if job.rows_total <= settings.IMPORT_BACKGROUND_ROWS
        else _("The import is being applied by the worker: follow its progress here."),
    )


@login_required
@require_POST
def job_revert(request, pk: int):
    job = _job(request, pk)
    return _act(
        request,
        job,
        lambda: services.job_revert(actor=request.user, job=job),
        _("The import is reverted: what it created is removed, what it changed is restored."),
    )


@login_required
def job_file(request, pk: int):
    from django.http import FileResponse

    job = _job(request, pk)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.original_name,
        content_type=XLSX if job.original_name.lower().endswith(".xlsx") else "text/csv",
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
