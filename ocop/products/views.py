from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.permissions import Action, can
from ocop.audit.selectors import audit_history
from ocop.certificates.selectors import product_certificates
from ocop.criteria.models import ProductGroup
from ocop.forms import add_service_error
from ocop.producers.selectors import producer_visible

from . import selectors, services
from .forms import PhotoForm, ProductFilterForm, ProductForm
from .models import Product


def _visible_product(request, pk: int) -> Product:
    try:
        return selectors.product_get(user=request.user, pk=pk)
    except Product.DoesNotExist:
        # Another area's product is "not found", so its existence is not disclosed.
        raise Http404 from None


def _changeable_product(request, pk: int) -> Product:
    product = _visible_product(request, pk)
    if not can(request.user, Action.PRODUCT_CHANGE, product):
        raise PermissionDenied
    return product


@login_required
def product_list(request):
    if not can(request.user, Action.PRODUCT_VIEW):
        raise PermissionDenied
    visible = selectors.product_visible(user=request.user)
    producers = producer_visible(user=request.user).filter(pk__in=visible.values("producer_id"))
    groups = ProductGroup.objects.filter(pk__in=visible.values("product_group_id"))
    form = ProductFilterForm(
        request.GET or None,
        producers=producers.order_by("legal_name"),
        groups=groups.order_by("name_vi"),
    )
    filters = selectors.ProductFilters()
    if form.is_valid():
        filters = selectors.ProductFilters(**form.cleaned_data)
    page = Paginator(
        selectors.product_list(user=request.user, filters=filters), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": can(request.user, Action.PRODUCT_CHANGE),
    }
    template = "products/_results.html" if request.htmx else "products/list.html"
    return render(request, template, context)


def _detail(request, product: Product, photo_form: PhotoForm | None = None, status: int = 200):
    context = {
        "product": product,
        "criteria_set": product.criteria_set,
        "photos": selectors.product_photos(product=product),
        "photo_form": photo_form or PhotoForm(),
        "can_change": can(request.user, Action.PRODUCT_CHANGE, product),
        "history": audit_history(target=product)[:10],
        "certificates": product_certificates(product=product),
    }
    return render(request, "products/detail.html", context, status=status)


@login_required
def product_detail(request, pk: int):
    return _detail(request, _visible_product(request, pk))


@login_required
def product_create(request):
    if not can(request.user, Action.PRODUCT_CHANGE):
        raise PermissionDenied
    producers = producer_visible(user=request.user, action=Action.PRODUCT_CHANGE)
    form = ProductForm(request.POST or None, producers=producers)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user,
                producer=form.cleaned_data["producer"],
                data=form.record_data(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The product is recorded."))
            return redirect(product)
    return render(request, "products/form.html", {"form": form, "creating": True})


@login_required
def product_edit(request, pk: int):
    product = _changeable_product(request, pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                actor=request.user,
                product=Product.objects.get(pk=product.pk),
                data=form.record_data(),
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_photo_add(request, pk: int):
    product = _changeable_product(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_photo_add(
                actor=request.user, product=product, file=form.cleaned_data["photo"]
            )
        except ValidationError as exc:
            form.add_error("photo", exc)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("products:detail", pk=product.pk)
    # The page again, with the reason the file was refused next to the upload field.
    return _detail(request, product, photo_form=form, status=400)


@login_required
@require_POST
def product_photo_remove(request, pk: int, document_id: int):
    product = _changeable_product(request, pk)
    document = selectors.product_photos(product=product).filter(pk=document_id).first()
    if document is None:
        raise Http404
    services.product_photo_remove(actor=request.user, product=product, document=document)
    messages.success(request, _("The photo is removed."))
    return redirect("products:detail", pk=product.pk)
