from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.documents.models import Document
from ocop.forms import add_service_error
from ocop.products.selectors import product_visible
from ocop.workflow import transitions_for

from . import rules, selectors, services
from .forms import DossierCreateForm, FileForm, LinkForm
from .models import DOSSIER_EDITABLE, DOSSIER_FLOW, Dossier, DossierStatus, DossierVersion


def _visible(request, pk: int) -> Dossier:
    try:
        return selectors.dossier_get(user=request.user, pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _back(dossier: Dossier, key: str = "") -> str:
    url = reverse("dossiers:detail", args=[dossier.pk])
    return f"{url}#{key.replace(':', '-').replace('.', '-')}" if key else url


@login_required
def dossier_list(request):
    if not can(request.user, Action.DOSSIER_VIEW):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in DossierStatus.values else ""  # a status, or all of them
    page = Paginator(
        selectors.dossier_list(user=request.user, status=status), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": DossierStatus.choices,
        "query": f"status={status}",
        "can_create": can(request.user, Action.DOSSIER_EDIT),
    }
    return render(request, "dossiers/list.html", context)


@login_required
def dossier_create(request):
    products = product_visible(user=request.user, action=Action.DOSSIER_EDIT).select_related(
        "producer"
    )
    if not products.exists():
        raise PermissionDenied
    initial = {"product": request.GET["product"]} if request.GET.get("product") else {}
    form = DossierCreateForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(
                actor=request.user,
                product=form.cleaned_data["product"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The dossier is open. Fill it in, then submit it."))
            return redirect(dossier)
    return render(request, "dossiers/create.html", {"form": form})


@login_required
def dossier_detail(request, pk: int):
    dossier = _visible(request, pk)
    items = selectors.dossier_items(dossier=dossier)
    spec = selectors.dossier_spec(dossier=dossier)
    comments = selectors.comments_by_key(dossier=dossier)
    open_keys = selectors.open_comment_keys(dossier=dossier)
    may_edit = dossier.status in DOSSIER_EDITABLE and can(
        request.user, Action.DOSSIER_EDIT, dossier
    )
    only_commented = dossier.status == DossierStatus.RETURNED and bool(open_keys)
    missing = selectors.dossier_missing(dossier=dossier, items=items)
    missing_keys = {m.key: m.reason for m in missing}

    def row(key, **extra):
        item = items.get(key)
        return {
            "key": key,
            "anchor": key.replace(":", "-").replace(".", "-"),
            "item": item,
            "documents": item.documents if item else [],
            "links": item.links if item else [],
            "comments": comments.get(key, []),
            "open": key in open_keys,
            "missing": missing_keys.get(key),
            "editable": may_edit and (not only_commented or key in open_keys),
            **extra,
        }

    documents = [
        row(r.key, requirement=r)
        for r in rules.requirements_for(selectors.dossier_branch(dossier=dossier))
    ]
    parts = [
        {
            "part": part,
            "criteria": [row(rules.criterion_key(c.code), criterion=c) for c in part.criteria],
        }
        for part in spec.parts
    ]
    transitions = [
        t
        for t in transitions_for(user=request.user, table=DOSSIER_FLOW, record=dossier)
        if t.name == "submit"
    ]
    context = {
        "dossier": dossier,
        "documents": documents,
        "parts": parts,
        "result": selectors.dossier_score(dossier=dossier),
        "missing": missing,
        "may_edit": may_edit,
        "only_commented": only_commented,
        "may_review": dossier.status == DossierStatus.SUBMITTED
        and can(request.user, Action.DOSSIER_REVIEW, dossier),
        "transitions": transitions,
        "versions": dossier.versions.order_by("-number"),
        "history": audit_history(target=dossier)[:30],
        "file_form": FileForm(),
        "link_form": LinkForm(),
    }
    return render(request, "dossiers/detail.html", context)


@login_required
@require_POST
def item_answer(request, pk: int, key: str):
    dossier = _visible(request, pk)
    try:
        if key.startswith("crit:"):
            services.item_answer(
                actor=request.user,
                dossier=dossier,
                criterion=key.removeprefix("crit:"),
                option=request.POST.get("option", ""),
                explanation=request.POST.get("explanation", ""),
            )
        else:
            services.item_explain(
                actor=request.user,
                dossier=dossier,
                key=key,
                explanation=request.POST.get("explanation", ""),
            )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_back(dossier, key))


@login_required
@require_POST
def item_file(request, pk: int, key: str):
    dossier = _visible(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect(_back(dossier, key))
    try:
        services.item_add_file(
            actor=request.user, dossier=dossier, key=key, file=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_back(dossier, key))


@login_required
@require_POST
def item_link(request, pk: int, key: str):
    dossier = _visible(request, pk)
    try:
        if request.POST.get("remove"):
            services.item_remove_link(
                actor=request.user, dossier=dossier, key=key, url=request.POST["remove"]
            )
        else:
            services.item_add_link(
                actor=request.user, dossier=dossier, key=key, url=request.POST.get("url", "")
            )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_back(dossier, key))


@login_required
@require_POST
def item_reviewed(request, pk: int, key: str):
    dossier = _visible(request, pk)
    try:
        services.item_mark_reviewed(actor=request.user, dossier=dossier, key=key)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_back(dossier, key))


@login_required
@require_POST
def file_remove(request, pk: int, document_pk: int):
    dossier = _visible(request, pk)
    document = Document.objects.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    key = getattr(document.owner, "key", "")
    try:
        services.item_remove_file(actor=request.user, dossier=dossier, document=document)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(_back(dossier, key))


@login_required
@require_POST
def dossier_submit(request, pk: int):
    dossier = _visible(request, pk)
    try:
        services.dossier_submit(actor=request.user, dossier=dossier)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The dossier is submitted. The officers will check it."))
    return redirect(dossier)


@login_required
def dossier_review(request, pk: int):
    """The officer's check: comments per item, then return or accept."""
    dossier = _visible(request, pk)
    if not can(request.user, Action.DOSSIER_REVIEW, dossier):
        raise PermissionDenied
    items = selectors.dossier_items(dossier=dossier)
    spec = selectors.dossier_spec(dossier=dossier)
    rows = [
        (r.key, r.name_vi, items.get(r.key))
        for r in rules.requirements_for(selectors.dossier_branch(dossier=dossier))
    ] + [
        (rules.criterion_key(c.code), f"{c.code} {c.name}", items.get(rules.criterion_key(c.code)))
        for c in spec.criteria()
    ]
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                services.dossier_accept(actor=request.user, dossier=dossier)
                messages.success(request, _("The dossier is accepted for evaluation."))
            elif decision == "return":
                comments = {key: request.POST.get(f"comment-{key}", "") for key, *_rest in rows}
                services.dossier_return(
                    actor=request.user,
                    dossier=dossier,
                    reason=request.POST.get("reason", ""),
                    comments=comments,
                )
                messages.success(request, _("The dossier is returned to the producer."))
            else:
                raise ValidationError(_("Choose to return or to accept."))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect(dossier)
    version = dossier.versions.order_by("-number").first()
    context = {
        "dossier": dossier,
        "rows": rows,
        "version": version,
        "changes": {
            c.key: c for c in selectors.version_diff(dossier=dossier, number=version.number)
        }
        if version
        else {},
        "result": selectors.dossier_score(dossier=dossier),
        "post": request.POST,
    }
    return render(request, "dossiers/review.html", context)


@login_required
def dossier_version(request, pk: int, number: int):
    dossier = _visible(request, pk)
    try:
        changes = selectors.version_diff(dossier=dossier, number=number)
    except DossierVersion.DoesNotExist:
        raise Http404 from None
    version = dossier.versions.get(number=number)
    return render(
        request,
        "dossiers/version.html",
        {"dossier": dossier, "version": version, "changes": changes},
    )
