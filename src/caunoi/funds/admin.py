"""The admin reads the ledger and the money records; it never changes or deletes them (a
correction is a reversing entry, made through the app)."""

from django.contrib import admin

from caunoi.core.admin import ReadOnlyAdmin as ReadOnly

from .models import Campaign, Checkpoint, Contribution, Decision, Entry, Exemption, Expense, Fund


class MoneyAdmin(ReadOnly):
    """A money record, read-only, with no bulk actions (not even deleting)."""

    actions = None


@admin.register(Entry)
class EntryAdmin(MoneyAdmin):
    list_display = ["fund", "seq", "booked_on", "kind", "amount", "balance", "document"]
    list_filter = ["kind"]
    search_fields = ["document", "household_ref", "hash"]


@admin.register(Contribution)
class ContributionAdmin(MoneyAdmin):
    list_display = ["receipt_number", "fund", "household", "amount", "paid_on"]


@admin.register(Expense)
class ExpenseAdmin(MoneyAdmin):
    list_display = ["fund", "number", "purpose", "amount", "status"]


@admin.register(Fund)
class FundAdmin(MoneyAdmin):
    list_display = ["name", "area", "kind", "balance", "last_seq"]


@admin.register(Checkpoint)
class CheckpointAdmin(MoneyAdmin):
    list_display = ["fund", "seq", "hash", "medium", "published_at"]


admin.site.register(Decision, ReadOnly)
admin.site.register(Campaign, ReadOnly)
admin.site.register(Exemption, ReadOnly)
