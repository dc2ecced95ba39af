from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["producer", "commune", "province"]
    fields = ["role", "producer", "commune", "province", "council", "consultancy"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "phone", "is_active", "is_staff"]
    search_fields = ["full_name", "email", "phone"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fieldsets = [
        (None, {"fields": ["full_name", "email", "phone", "password"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["full_name", "email", "phone", "password1", "password2"]}),
    ]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        """Role changes go through the service, so each is recorded in the audit log."""
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_revoke(actor=request.user, membership=membership)
        for membership in instances:
            services.membership_save(actor=request.user, membership=membership)
        formset.save_m2m()
