"""The territory in the read-only admin (see caunoi.core.admin)."""

from django.contrib import admin

from caunoi.core.admin import ReadOnlyAdmin

from .models import Household, Restructuring, Unit, UnitVersion


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(UnitVersion)
class UnitVersionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "name", "parent", "valid_from", "valid_to"]
    list_select_related = ["unit", "parent"]
    search_fields = ["unit__code", "name"]


@admin.register(Restructuring)
class RestructuringAdmin(ReadOnlyAdmin):
    list_display = ["kind", "effective_date", "decision_number", "decision_date"]
    list_filter = ["kind"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["code", "area", "representative_name", "members", "is_active"]
    search_fields = ["code"]
    list_select_related = ["area"]
    show_full_result_count = False
