from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: files are added and removed by the services of the records they belong
    to, which check permissions, write the audit log and remove the stored file."""

    list_display = ["original_name", "kind", "size", "owner_display", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by", "owner_type"]

    @admin.display(description=_("Belongs to"))
    def owner_display(self, document: Document) -> str:
        return str(document.owner) if document.owner is not None else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
