from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.evaluation.selectors import session_visible
from ocop.forms import add_service_error

from . import export, pdf, selectors, services
from .forms import CertificateFilterForm, DecisionDraftForm, RevokeForm
from .models import DecisionStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _decision(request, pk: int):
    decision = selectors.decision_visible(user=request.user).filter(pk=pk).first()
    if decision is None:
        # A draft has items in the officer's area; an officer who may issue sees it too.
        raise Http404
    return decision


# --- Public register ------------------------------------------------------------------------


def certificate_verify(request, number: str):
    """Anyone scanning the QR code: is this certificate in the register, and valid?"""
    entry = selectors.certificate_public(number=number)
    if entry is None:
        return render(request, "certificates/not_found.html", {"number": number}, status=404)
    return render(request, "certificates/verify.html", {"c": entry})


def certificate_verify_json(request, number: str):
    entry = selectors.certificate_public(number=number)
    if entry is None:
        return JsonResponse({"number": number, "error": "not in the register"}, status=404)
    return JsonResponse(entry.as_json(), json_dumps_params={"ensure_ascii": False})


# --- Decisions --------------------------------------------------------------------------------


@login_required
def decision_list(request):
    if not can(request.user, Action.DECISION_VIEW):
        raise PermissionDenied
    decisions = selectors.decision_visible(user=request.user)[:200]
    return render(request, "certificates/decision_list.html", {"decisions": decisions})


@login_required
def decision_detail(request, pk: int):
    decision = _decision(request, pk)
    context = {
        "decision": decision,
        "items": selectors.decision_items(decision=decision),
        "may_issue": decision.status == DecisionStatus.DRAFT
        and services.may_issue(request.user, level=decision.level, province=decision.province),
        "history": audit_history(target=decision)[:20],
    }
    return render(request, "certificates/decision_detail.html", context)


@login_required
def decision_draft(request, session_pk: int):
    session = session_visible(user=request.user).filter(pk=session_pk).first()
    if session is None:
        raise Http404
    round = session.round
    if not services.may_issue(request.user, level=round.level, province=round.province):
        raise PermissionDenied
    eligible = services.eligible_assignments(session=session)
    form = DecisionDraftForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "assignments"}
        try:
            decision = services.decision_draft(
                actor=request.user,
                session_or_assignments=list(form.cleaned_data["assignments"]),
                data=data,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The draft decision is saved."))
            return redirect("certificates:decision", pk=decision.pk)
    context = {"session": session, "form": form, "eligible": eligible}
    return render(request, "certificates/decision_draft.html", context)


@login_required
@require_POST
def decision_issue(request, pk: int):
    decision = _decision(request, pk)
    try:
        services.decision_issue(actor=request.user, decision=decision)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The decision is issued and its certificates created."))
    return redirect("certificates:decision", pk=decision.pk)


@login_required
def decision_pdf(request, pk: int):
    decision = _decision(request, pk)
    response = HttpResponse(pdf.decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.decision_filename(decision)}"'
    return response


# --- Certificates ----------------------------------------------------------------------------


def _filters(request) -> tuple[CertificateFilterForm, selectors.CertificateFilters]:
    form = CertificateFilterForm(request.GET or None)
    if form.is_valid():
        d = form.cleaned_data
        return form, selectors.CertificateFilters(
            q=d["q"], state=d["state"], province=d["province"].pk if d["province"] else None
        )
    return form, selectors.CertificateFilters()


@login_required
def certificate_list(request):
    if not can(request.user, Action.DECISION_VIEW):
        raise PermissionDenied
    form, filters = _filters(request)
    certificates = selectors.certificate_list(user=request.user, filters=filters)
    context = {
        "form": form,
        "certificates": certificates[:500],
        "total": certificates.count(),
        "query": request.GET.urlencode(),
    }
    return render(request, "certificates/certificate_list.html", context)


@login_required
def certificate_export(request):
    if not can(request.user, Action.DECISION_VIEW):
        raise PermissionDenied
    _form, filters = _filters(request)
    certificates = selectors.certificate_list(user=request.user, filters=filters)
    response = HttpResponse(export.certificates_xlsx(certificates), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="chung-nhan-ocop.xlsx"'
    return response


def _certificate(request, number: str):
    certificate = selectors.certificate_get(user=request.user, number=number)
    if certificate is None:
        raise Http404
    return certificate


@login_required
def certificate_detail(request, number: str):
    certificate = _certificate(request, number)
    may_revoke = certificate.status == "valid" and can(
        request.user, Action.CERTIFICATE_REVOKE, certificate
    )
    context = {
        "c": certificate,
        "may_revoke": may_revoke,
        "form": RevokeForm() if may_revoke else None,
        "verify_url": pdf.verification_url(certificate, request),
        "history": audit_history(target=certificate)[:20],
    }
    return render(request, "certificates/certificate_detail.html", context)


@login_required
@require_POST
def certificate_revoke(request, number: str):
    certificate = _certificate(request, number)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the certificate is revoked."))
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("certificates:certificate", number=certificate.number)


@login_required
def certificate_pdf(request, number: str):
    certificate = _certificate(request, number)
    response = HttpResponse(
        pdf.certificate_pdf(certificate, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{pdf.certificate_filename(certificate)}"'
    return response
