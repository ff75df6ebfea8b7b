"""Administrators edit the institution taxonomy, institutions and their staff here.
Referrals are deliberately absent: the admin site would bypass lookups.py and the audit."""

from django.contrib import admin

from .models import Institution, InstitutionKind, InstitutionStaff, ReferralPolicy


@admin.register(InstitutionKind)
class InstitutionKindAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "sort_order"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_public"]
    list_filter = ["kind", "is_public"]
    filter_horizontal = ["areas"]


@admin.register(InstitutionStaff)
class InstitutionStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "institution"]


@admin.register(ReferralPolicy)
class ReferralPolicyAdmin(admin.ModelAdmin):
    list_display = ["municipality", "retention_years"]
