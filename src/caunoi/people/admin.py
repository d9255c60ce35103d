"""Persons and mandates in the read-only admin (see caunoi.core.admin)."""

from django.contrib import admin

from caunoi.core.admin import ReadOnlyAdmin

from .models import Mandate, Person


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
