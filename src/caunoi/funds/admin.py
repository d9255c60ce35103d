"""The admin reads the ledger and the money records; it never changes or deletes them (a
correction is a reversing entry, made through the app)."""

from django.contrib import admin

from caunoi.core.admin import ReadOnlyAdmin as ReadOnly

from .models import (
    Campaign,
    Checkpoint,
    Contribution,
    Decision,
    Entry,
    Exemption,
    Expense,
    Fund,
)


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["fund", "seq", "booked_on", "kind", "amount", "balance", "document"]
    list_filter = ["kind"]
    search_fields = ["document", "household_ref", "hash"]
    actions = None


@admin.register(Contribution)
class ContributionAdmin(ReadOnly):
    list_display = ["receipt_number", "fund", "household", "amount", "paid_on"]
    actions = None


@admin.register(Expense)
class ExpenseAdmin(ReadOnly):
    list_display = ["fund", "number", "purpose", "amount", "status"]
    actions = None


@admin.register(Fund)
class FundAdmin(ReadOnly):
    list_display = ["name", "area", "kind", "balance", "last_seq"]
    actions = None


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["fund", "seq", "hash", "medium", "published_at"]
    actions = None


admin.site.register(Decision, ReadOnly)
admin.site.register(Campaign, ReadOnly)
admin.site.register(Exemption, ReadOnly)
