import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.catalog import selectors as catalog_selectors
from ocop.forms import add_service_error, db_int, filter_text
from ocop.geo.models import Province
from ocop.products.selectors import product_photos
from ocop.ratelimits import limited

from . import codes, epcis, pdf, resolver, selectors, services, vocabulary
from .forms import BatchForm, EventForm, LocateForm, StampRunForm, VoidForm, province_choices
from .models import RunStatus

LOCATE_SALT = "ocop.traceability.locate"


def _base_url(request) -> str:
    return settings.SITE_URL.rstrip("/") if settings.SITE_URL else request.build_absolute_uri("/")


# --- The public stamp address ----------------------------------------------------------------


@limited("scan")
def stamp_gs1(request, gtin: str, serial: str, lot: str | None = None):
    """/01/{GTIN}/10/{lot}/21/{serial} (or without the lot): a stamp's GS1 Digital Link."""
    path = f"/01/{gtin}" + (f"/10/{lot}" if lot is not None else "") + f"/21/{serial}"
    try:
        address = codes.address_from_parts(gtin=gtin, lot=lot, serial=serial)
    except codes.InvalidCode:
        return _not_a_stamp(request, path)
    return _resolve(request, address)


@limited("scan")
def stamp_short(request, serial: str):
    """/tem/{serial}: the platform's address for a stamp of a product without a GTIN (and a
    short form any stamp answers to, e.g. when a consumer types the serial)."""
    try:
        address = codes.StampAddress(serial=codes.serial_normalise(serial))
    except codes.InvalidCode:
        return _not_a_stamp(request, f"/tem/{serial}")
    return _resolve(request, address)


@limited("scan")
def stamp_lookup(request):
    """The form on the scan pages: type the serial printed under the code."""
    typed = request.GET.get("serial", "")
    try:
        serial = codes.serial_normalise(typed)
    except codes.InvalidCode:
        return render(
            request, "traceability/scan_unknown.html", {"typed": typed, "invalid": True}, status=404
        )
    return redirect("traceability:stamp_short", serial=serial)


def _not_a_stamp(request, path: str):
    if _wants_linkset(request):
        return JsonResponse({"error": "not a stamp address", "path": path}, status=404)
    return render(
        request, "traceability/scan_unknown.html", {"typed": path, "invalid": True}, status=404
    )


def _wants_linkset(request) -> bool:
    link_type = request.GET.get("linkType", "")
    if link_type in resolver.LINKSET_TYPES:
        return True
    return not request.accepts("text/html") and (
        request.accepts("application/json") or request.accepts("application/linkset+json")
    )


def _catalogue_url(product) -> str | None:
    """The product's public catalogue page, while it is recognised."""
    return catalog_selectors.listing_url(product_id=product.pk)


def _links(request, stamp, certificate, catalogue: str | None) -> list[resolver.Link]:
    base = _base_url(request)
    page = base + reverse("traceability:stamp_short", args=[stamp.serial])
    product = stamp.run.batch.product
    links = [
        resolver.Link(resolver.DEFAULT, page, _("Stamp of %(p)s") % {"p": product.name}),
        # The product information page: its catalogue page while it is recognised.
        resolver.Link(resolver.PIP, base + catalogue if catalogue else page, product.name),
        resolver.Link(
            resolver.TRACEABILITY,
            page + "#su-kien",
            _("Batch %(lot)s: where it comes from") % {"lot": stamp.run.batch.lot},
        ),
        resolver.Link(
            resolver.EPCIS,
            base + reverse("traceability:stamp_epcis", args=[stamp.serial]),
            _("Supply-chain events (EPCIS 2.0)"),
            media_type="application/ld+json",
        ),
    ]
    if certificate is not None:
        links.append(
            resolver.Link(
                resolver.CERTIFICATION,
                base + reverse("certificates:verify", args=[certificate.number]),
                _("OCOP certificate %(n)s") % {"n": certificate.number},
            )
        )
    return links


def _province_id(request) -> int | None:
    """?province=<code>, when it names a province; anything else is ignored (isdigit() alone
    lets "²" through, and an unknown code would break the scan's foreign key)."""
    value = request.GET.get("province", "")
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return Province.objects.filter(pk=int(value)).values_list("pk", flat=True).first()


def _resolve(request, address: codes.StampAddress):
    stamp = selectors.stamp_for_scan(serial=address.serial)
    link_type = request.GET.get("linkType", "")
    if link_type or _wants_linkset(request):
        return _resolver_answer(request, stamp, link_type)
    outcome = services.scan_record(
        address=address,
        stamp=stamp,
        user_agent=request.headers.get("user-agent", ""),
        province_id=_province_id(request),
    )
    token = signing.dumps(outcome.scan.pk, salt=LOCATE_SALT)
    if stamp is None:
        context = {"typed": codes.serial_display(address.serial), "invalid": False}
        return render(request, "traceability/scan_unknown.html", context, status=404)
    batch = stamp.run.batch
    product = batch.product
    certificate = selectors.latest_certificate(product_id=product.pk)
    photo = product_photos(product=product).first() if certificate else None  # shown only then
    catalogue = _catalogue_url(product)
    context = {
        "stamp": stamp,
        "serial": codes.serial_display(stamp.serial),
        "batch": batch,
        "product": product,
        "producer": product.producer,
        "certificate": certificate,
        "certificate_state": certificate.state if certificate else None,
        "photo_url": photo.get_public_url() + "?w=640" if photo else None,
        "events": [
            (e, vocabulary.label("biz_steps", e.biz_step))
            for e in selectors.batch_events(batch=batch)
        ],
        "outcome": outcome,
        "flags": set(outcome.flags),
        "locate_form": LocateForm(initial={"token": token}),
        "locate_provinces": province_choices(),
        "catalogue_url": catalogue,
    }
    response = render(request, "traceability/scan.html", context)
    response["Link"] = resolver.link_header(_links(request, stamp, certificate, catalogue))
    response["Cache-Control"] = "no-store"  # every scan is counted
    return response


def _resolver_answer(request, stamp, link_type: str):
    if stamp is None:
        return JsonResponse({"error": "no stamp with this serial"}, status=404)
    certificate = selectors.latest_certificate(product_id=stamp.run.batch.product_id)
    links = _links(request, stamp, certificate, _catalogue_url(stamp.run.batch.product))
    wanted = resolver.normalise(link_type) if link_type else ""
    if wanted and wanted not in resolver.LINKSET_TYPES:
        link = resolver.find(links, wanted)
        if link is None:
            return JsonResponse(
                {
                    "error": "no link of this type",
                    "linkType": wanted,
                    "available": [link.link_type for link in links],
                },
                status=404,
            )
        response = HttpResponseRedirect(link.href, status=307)
        response["Link"] = resolver.link_header(links)
        return response
    anchor = _base_url(request) + request.path
    response = JsonResponse(
        resolver.linkset(anchor, links),
        content_type="application/linkset+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Link"] = resolver.link_header(links)
    return response


def stamp_epcis(request, serial: str):
    """The public EPCIS 2.0 document of the batch a stamp belongs to."""
    try:
        stamp = selectors.stamp_for_scan(serial=codes.serial_normalise(serial))
    except codes.InvalidCode:
        stamp = None
    if stamp is None:
        raise Http404
    document = epcis.document(batch=stamp.run.batch, base_url=_base_url(request))
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )


@require_POST
def scan_locate(request):
    """The consumer tells where the scan happened (optional, a province only)."""
    form = LocateForm(request.POST)
    scan_id = None
    if form.is_valid():
        try:
            scan_id = signing.loads(form.cleaned_data["token"], salt=LOCATE_SALT, max_age=3600)
        except signing.BadSignature:
            scan_id = None
    if scan_id is None:
        return HttpResponse(_("This page is too old: scan the stamp again."), status=400)
    from .models import Scan

    scan = Scan.objects.filter(pk=scan_id).first()
    if scan is None:
        raise Http404
    services.scan_locate(scan=scan, province_id=form.cleaned_data["province"].pk)
    return render(
        request, "traceability/_located.html", {"province": form.cleaned_data["province"]}
    )


# --- Producers and officers -----------------------------------------------------------------


def _batch(request, pk: int, action: Action = Action.TRACE_VIEW):
    batch = selectors.batch_visible(user=request.user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    if action is not Action.TRACE_VIEW and not can(request.user, action, batch):
        raise PermissionDenied
    return batch


def _run(request, pk: int, action: Action = Action.TRACE_VIEW):
    run = selectors.run_visible(user=request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    if action is not Action.TRACE_VIEW and not can(request.user, action, run):
        raise PermissionDenied
    return run


@login_required
def home(request):
    if not can(request.user, Action.TRACE_VIEW):
        raise PermissionDenied
    filters = selectors.BatchFilters(q=filter_text(request.GET, "q"))
    batches = selectors.batch_list(user=request.user, filters=filters)
    page = Paginator(batches, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": filters.q,
        "may_create": can(request.user, Action.TRACE_MANAGE),
        "may_alerts": can(request.user, Action.TRACE_ALERTS),
    }
    return render(request, "traceability/home.html", context)


@login_required
def batch_create(request):
    products = selectors.certified_products(user=request.user)
    if not can(request.user, Action.TRACE_MANAGE):
        raise PermissionDenied
    product_id = db_int(request.GET.get("product") or request.POST.get("product"))
    product = products.filter(pk=product_id).first() if product_id is not None else None
    form = BatchForm(request.POST or None)
    if request.method == "POST" and product is not None and form.is_valid():
        try:
            batch = services.batch_create(
                actor=request.user, product=product, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The batch is recorded."))
            return redirect(batch)
    context = {"form": form, "products": products, "product": product}
    return render(request, "traceability/batch_form.html", context)


@login_required
def batch_edit(request, pk: int):
    batch = _batch(request, pk, Action.TRACE_MANAGE)
    form = BatchForm(request.POST or None, instance=batch)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(actor=request.user, batch=batch, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The batch is saved."))
            return redirect(batch)
    batch.refresh_from_db()
    return render(
        request, "traceability/batch_form.html", {"form": form, "batch": batch, "product": None}
    )


@login_required
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    may_manage = can(request.user, Action.TRACE_MANAGE, batch)
    context = {
        "batch": batch,
        "runs": selectors.batch_runs(batch=batch),
        "events": [
            (e, vocabulary.label("biz_steps", e.biz_step))
            for e in selectors.batch_events(batch=batch)
        ],
        "stats": selectors.scan_stats(user=request.user, batch=batch),
        "may_manage": may_manage,
        "run_form": StampRunForm() if may_manage else None,
        "history": audit_history(target=batch)[:20],
    }
    return render(request, "traceability/batch_detail.html", context)


@login_required
@require_POST
def run_order(request, pk: int):
    batch = _batch(request, pk, Action.TRACE_MANAGE)
    form = StampRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.stamp_run_order(actor=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The stamps are being generated."))
            return redirect(run)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(batch)


@login_required
def event_create(request, pk: int):
    batch = _batch(request, pk, Action.TRACE_MANAGE)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(actor=request.user, batch=batch, data=form.event_data())
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The event is recorded."))
            return redirect(batch)
    return render(request, "traceability/event_form.html", {"form": form, "batch": batch})


@login_required
def batch_epcis(request, pk: int):
    batch = _batch(request, pk)
    response = JsonResponse(
        epcis.document(batch=batch, base_url=_base_url(request)),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="epcis-{batch.lot}.jsonld"'
    return response


@login_required
def run_detail(request, pk: int):
    run = _run(request, pk)
    may_manage = can(request.user, Action.TRACE_MANAGE, run)
    context = {
        "run": run,
        "stalled": services.run_is_stalled(run),
        "may_manage": may_manage,
        "void_form": VoidForm() if may_manage else None,
        "stats": selectors.scan_stats(user=request.user, run=run),
        "sheet_max": pdf.SHEET_MAX,
        "history": audit_history(target=run)[:20],
    }
    if request.htmx and request.GET.get("part") == "progress":
        return render(request, "traceability/_run_progress.html", context)
    return render(request, "traceability/run_detail.html", context)


@login_required
@require_POST
def run_resume(request, pk: int):
    run = _run(request, pk, Action.TRACE_MANAGE)
    try:
        services.stamp_run_resume(actor=request.user, run=run)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Generation resumes where it stopped."))
    return redirect(run)


@login_required
@require_POST
def run_void(request, pk: int):
    run = _run(request, pk, Action.TRACE_MANAGE)
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the stamps are voided."))
        count = services.stamps_void(
            actor=request.user,
            run=run,
            reason=form.cleaned_data["reason"],
            serials=form.serial_list(),
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s stamps are voided.") % {"n": count})
    return redirect(run)


def _label_range(request, run) -> tuple[int, int]:
    try:
        first = max(1, int(request.GET.get("from", 1)))
        count = int(request.GET.get("count", pdf.SHEET_MAX))
    except ValueError:
        raise Http404 from None
    if first > max(run.issued, 1):  # no such label (and an offset SQLite cannot take)
        raise Http404
    return first, max(1, min(count, pdf.SHEET_MAX))


@login_required
def run_pdf(request, pk: int):
    """Print-ready sheets of the run's labels, `count` labels from label number `from`."""
    run = _run(request, pk)
    if run.status != RunStatus.DONE:
        raise Http404
    first, count = _label_range(request, run)
    content = pdf.labels_pdf(run=run, first=first, count=count, base_url=_base_url(request))
    response = HttpResponse(content, content_type="application/pdf")
    last = min(first + count - 1, run.issued)
    response["Content-Disposition"] = f'inline; filename="tem-{run.pk}-{first}-{last}.pdf"'
    return response


class _Echo:
    def write(self, value):
        return value


@login_required
def run_csv(request, pk: int):
    """Every label of the run (number, serial, address) for a printing house, streamed."""
    run = _run(request, pk)
    if run.status != RunStatus.DONE:
        raise Http404
    batch = run.batch
    base = _base_url(request)
    gtin = batch.product.gtin
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(["label", "serial", "uri"])
        serials = selectors.run_stamps(run=run).values_list("serial", flat=True)
        for n, serial in enumerate(serials.iterator(chunk_size=5000), start=1):
            uri = codes.stamp_uri(base_url=base, gtin=gtin, lot=batch.lot, serial=serial)
            yield writer.writerow([n, serial, uri])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tem-{run.pk}.csv"'
    return response


@login_required
def alerts(request):
    if not can(request.user, Action.TRACE_ALERTS):
        raise PermissionDenied
    page = Paginator(selectors.alert_list(user=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "alerts": selectors.alerts_detail(page.object_list)}
    return render(request, "traceability/alerts.html", context)
