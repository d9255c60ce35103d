"""The admin site is a read-only window for system administrators: every write goes through the
services (audited, access-checked), never through the admin."""

from django.contrib import admin

from caunoi.core.models import AuditEntry
from caunoi.people.models import Mandate, Person
from caunoi.territory.models import Household, Restructuring, Unit, UnitVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "username", "phone", "is_active", "is_staff"]
    search_fields = ["full_name", "username", "phone"]
    exclude = ["password"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["person", "role", "unit", "start", "end"]
    list_filter = ["role"]
    list_select_related = ["person", "unit"]
    raw_id_fields = ["person", "unit", "household"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    list_select_related = ["actor"]
