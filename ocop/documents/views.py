from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from . import images, selectors
from .models import ATTACHMENT_KINDS, Document


def file_response(document: Document, *, cache: str) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=document.kind in ATTACHMENT_KINDS,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def public_image(request, pk: int, name: str):
    """A published image (a recognised product's photo), for anyone; `?w=320` asks for a
    smaller copy (documents/images.py)."""
    document = Document.objects.filter(pk=pk).first()
    if document is None or not selectors.image_public(document=document):
        raise Http404
    width = request.GET.get("w", "")
    variant = images.variant_for(document, int(width)) if width.isdigit() else None
    if variant is None:
        return file_response(document, cache="public, max-age=86400")
    try:
        handle = document.file.storage.open(variant, "rb")
    except FileNotFoundError:
        return file_response(document, cache="public, max-age=86400")
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def document_download(request, pk: int, name: str):
    """The file itself, for those who may read its owner. The name in the URL is decoration."""
    document = Document.objects.filter(pk=pk).first()
    if document is None or not selectors.document_visible(user=request.user, document=document):
        # Another area's file is "not found", so its existence is not disclosed.
        raise Http404
    return file_response(document, cache="private")
