"""The admin site is a read-only window for system administrators: every write goes through the
services (audited, access-checked), never through the admin."""

from django.contrib import admin

from caunoi.core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """The base of every app's admin classes (territory, people, funds…)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    list_select_related = ["actor"]
