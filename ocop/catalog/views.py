import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.forms import add_service_error
from ocop.geo.models import Province
from ocop.producers.models import Producer
from ocop.producers.selectors import producer_visible
from ocop.products.selectors import product_photos
from ocop.ratelimits import limited

from . import map as vn_map
from . import opendata, selectors, services
from .forms import SORT_LABELS, ApplyForm, InquiryForm, SearchForm, TradeEventForm
from .models import ApplicationStatus, Listing, TradeEvent

SEARCH_PAGE_SIZE = 24
FACET_LABELS = [
    ("province", gettext_lazy("Province")),
    ("stars", gettext_lazy("Star class")),
    ("group", gettext_lazy("Product group")),
    ("producer_type", gettext_lazy("Producer type")),
]


def province_slug(province: Province) -> str:
    return province.codename.replace("_", "-")


def _province_urls() -> dict[int, str]:
    return {
        p.pk: reverse("catalog:province", args=[province_slug(p)]) for p in Province.objects.all()
    }


def _map(counts: dict[int, int]):
    return vn_map.map_view(counts, _province_urls())


def _absolute(request, path: str) -> str:
    base = settings.SITE_URL.rstrip("/") if settings.SITE_URL else ""
    return base + path if base else request.build_absolute_uri(path)


# --- Pages ----------------------------------------------------------------------------------


def home(request):
    """The catalogue's front page: 5★ and 4★ products, the newest recognitions, the map."""
    counts = selectors.counts_by_province()
    provinces = Province.objects.filter(pk__in=counts).order_by("name")
    context = {
        "featured": selectors.featured(),
        "newest": selectors.newest(),
        "map": _map(counts),
        "province_counts": [(p, counts[p.pk], province_slug(p)) for p in provinces],
        "total": sum(counts.values()),
        "form": SearchForm(),
    }
    return render(request, "catalog/home.html", context)


@limited("search")
def search(request):
    form = SearchForm(request.GET or None)
    filters = form.filters()
    found = selectors.search_page(filters, page=request.GET.get("page"), per_page=SEARCH_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": found.page,
        "facets": found.facets,
        "producers": found.producers,
        "query": query.urlencode(),
        "params": query.dict(),  # one value per filter
        "facet_labels": FACET_LABELS,
        "sort_choices": [(s, SORT_LABELS[s]) for s in selectors.SORTS],
    }
    template = "catalog/_results.html" if request.htmx else "catalog/search.html"
    return render(request, template, context)


def _listing_or_404(pk: int) -> Listing:
    listing = selectors.listing_get(product_id=pk)
    if listing is None:
        raise Http404
    return listing


def product(request, slug: str, pk: int):
    listing = _listing_or_404(pk)
    if slug != listing.slug:
        return redirect(listing, permanent=True)
    item = listing.product
    photos = list(product_photos(product=item))
    certificate = listing.certificate
    context = {
        "listing": listing,
        "product": item,
        "photos": photos,
        "certificate": certificate,
        "certificate_state": certificate.state,
        "producer": listing.producer,
        "related": selectors.related(listing),
        "form": InquiryForm(),
        "canonical": _absolute(request, listing.get_absolute_url()),
        "image": _absolute(request, photos[0].get_public_url()) if photos else None,
        "ld": _product_ld(request, listing, photos),
    }
    return render(request, "catalog/product.html", context)


def _product_ld(request, listing: Listing, photos) -> str:
    """schema.org Product markup of the page (JSON-LD), with `<` escaped for the script tag."""
    item = listing.product
    producer = listing.producer
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": listing.name,
        "description": listing.summary or listing.name,
        "url": _absolute(request, listing.get_absolute_url()),
        "category": listing.product_group.name_vi,
        "brand": {"@type": "Brand", "name": producer.legal_name},
        "manufacturer": {
            "@type": "Organization",
            "name": producer.legal_name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": listing.commune.name,
                "addressRegion": listing.province.name,
                "addressCountry": "VN",
            },
        },
        "award": f"OCOP {listing.stars} sao",
        "image": [_absolute(request, p.get_public_url()) for p in photos[:3]],
    }
    if item.gtin:
        data[f"gtin{len(item.gtin)}" if len(item.gtin) in (8, 12, 13, 14) else "gtin"] = item.gtin
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


@require_POST
def inquiry(request, pk: int):
    listing = _listing_or_404(pk)
    form = InquiryForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            services.inquiry_send(
                listing=listing,
                data=data,
                address=request.META.get("REMOTE_ADDR", ""),
                honeypot=form.cleaned_data["website"],
            )
        except services.Spam:
            pass  # the robot is thanked like a person, and nothing is kept
        except ValidationError as exc:
            add_service_error(form, exc)
        if not form.errors:
            context = {"listing": listing}
            if request.htmx:
                return render(request, "catalog/_inquiry_sent.html", context)
            messages.success(request, _("Your message is sent to the producer."))
            return redirect(listing)
    context = {"listing": listing, "form": form}
    if request.htmx:
        return render(request, "catalog/_inquiry_form.html", context, status=422)
    return render(request, "catalog/inquiry.html", context, status=422)


def producer(request, slug: str, pk: int):
    listings = selectors.producer_listings(producer_id=pk)
    if not listings:
        raise Http404  # only producers with a recognised product are in the catalogue
    item = get_object_or_404(Producer.objects.select_related("commune__province"), pk=pk)
    context = {"producer": item, "listings": listings}
    return render(request, "catalog/producer.html", context)


def province(request, slug: str):
    item = get_object_or_404(Province, codename=slug.replace("-", "_"))
    listings = selectors.listing_search(selectors.CatalogFilters(province=item.pk, sort="stars"))
    page = Paginator(listings, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    facets = selectors.facets(selectors.CatalogFilters(province=item.pk))
    context = {
        "province": item,
        "page": page,
        "groups": facets["group"],
        "stars": facets["stars"],
        "events": selectors.events_upcoming().filter(province=item)[:5],
    }
    return render(request, "catalog/province.html", context)


# --- Open data ------------------------------------------------------------------------------


def open_data(request):
    return render(
        request, "catalog/open_data.html", {"fields": opendata.FIELDS, "licence": opendata.LICENCE}
    )


class _Echo:
    def write(self, value):
        return value


def open_data_csv(request):
    writer = csv.writer(_Echo())
    base = _absolute(request, "")

    def rows():
        yield "\ufeff"  # so that Excel reads the file as UTF-8
        yield writer.writerow(opendata.FIELDS)
        for row in opendata.rows(base_url=base):
            yield writer.writerow([row[f] for f in opendata.FIELDS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="san-pham-ocop.csv"'
    return response


def open_data_json(request):
    document = {
        "licence": opendata.LICENCE,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "products": list(opendata.rows(base_url=_absolute(request, ""))),
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'inline; filename="san-pham-ocop.json"'
    return response


def map_svg(request):
    """The map alone, as an SVG image (for embedding elsewhere)."""
    response = render(
        request,
        "catalog/map.svg",
        {"map": _map(selectors.counts_by_province()), "standalone": True},
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- Trade promotion ------------------------------------------------------------------------


def events(request):
    context = {
        "upcoming": selectors.events_upcoming().order_by("starts_on", "id"),
        "past": selectors.events_past()[:20],
        "may_create": can(request.user, Action.EVENT_MANAGE),
    }
    return render(request, "catalog/events.html", context)


def _apply_form(request, event: TradeEvent, data=None):
    if not request.user.is_authenticated or not can(request.user, Action.PRODUCER_CHANGE):
        return None
    producers = producer_visible(user=request.user, action=Action.PRODUCER_CHANGE).filter(
        listings__isnull=False
    )
    producers = Producer.objects.filter(pk__in=producers.values("pk")).order_by("legal_name")
    if not producers.exists():
        return None
    from ocop.products.models import Product

    products = Product.objects.filter(producer__in=producers, listing__isnull=False)
    return ApplyForm(data, producers=producers, products=products.order_by("name"))


def event(request, pk: int):
    item = get_object_or_404(TradeEvent.objects.select_related("province"), pk=pk)
    manage = can(request.user, Action.EVENT_MANAGE, item.province)
    applications = item.applications.select_related("producer__commune__province").prefetch_related(
        "products"
    )
    form = _apply_form(request, item)
    own = []
    if form is not None:
        mine = set(form.fields["producer"].queryset.values_list("pk", flat=True))
        own = [a for a in applications if a.producer_id in mine]
        if {a.producer_id for a in own if a.status != ApplicationStatus.PENDING} >= mine:
            form = None  # every producer of theirs has had its answer
    context = {
        "event": item,
        "participants": [a for a in applications if a.status == ApplicationStatus.ACCEPTED],
        "applications": applications if manage else None,
        "manage": manage,
        "apply_form": form,
        "own": own,
    }
    return render(request, "catalog/event.html", context)


@login_required
@require_POST
def event_apply(request, pk: int):
    item = get_object_or_404(TradeEvent, pk=pk)
    form = _apply_form(request, item, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.trade_event_apply(
                actor=request.user,
                event=item,
                producer=form.cleaned_data["producer"],
                products=form.cleaned_data["products"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your request is sent to the organiser."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(item)


@login_required
@require_POST
def application_decide(request, pk: int, application_pk: int):
    item = get_object_or_404(TradeEvent, pk=pk)
    application = get_object_or_404(item.applications, pk=application_pk)
    services.trade_event_decide(
        actor=request.user, application=application, accept=request.POST.get("accept") == "1"
    )
    messages.success(request, _("The answer is recorded."))
    return redirect(item)


@login_required
def event_form(request, pk: int | None = None):
    if not can(request.user, Action.EVENT_MANAGE):
        raise PermissionDenied
    item = get_object_or_404(TradeEvent, pk=pk) if pk else None
    if item and not can(request.user, Action.EVENT_MANAGE, item.province):
        raise PermissionDenied
    provinces = Province.objects.filter(
        pk__in=[p.pk for p in Province.objects.all() if can(request.user, Action.EVENT_MANAGE, p)]
    ).order_by("name")
    form = TradeEventForm(request.POST or None, instance=item, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.trade_event_save(
                actor=request.user, data=form.cleaned_data, event=item
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The event is published."))
            return redirect(saved)
    return render(request, "catalog/event_form.html", {"form": form, "event": item})


# --- Buyers' messages -----------------------------------------------------------------------


@login_required
def inbox(request):
    """The producer's buyer messages; an officer sees how many each producer received."""
    own = [
        m.producer_id
        for m in request.user.memberships.all()
        if m.producer_id and can(request.user, Action.INQUIRY_READ, m.producer)
    ]
    if can(request.user, Action.ADMIN_SITE):
        own = list(Producer.objects.values_list("pk", flat=True))
    inquiries = selectors.inbox(producer_ids=own) if own else None
    page = (
        Paginator(inquiries, settings.PAGE_SIZE).get_page(request.GET.get("page")) if own else None
    )
    counts = selectors.inquiry_counts(user=request.user) if not own else []
    if page is None and not counts and not can(request.user, Action.PRODUCER_VIEW):
        raise PermissionDenied
    if page is not None:
        for item in page.object_list:
            if item.read_at is None:
                services.inquiry_mark_read(actor=request.user, inquiry=item)
                item.was_unread = True
    return render(request, "catalog/inbox.html", {"page": page, "counts": counts})
