"""The actions people's services record in the change log (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

PERSON_CREATED = action("people.person.created", _("Person added"))
PERSON_RENAMED = action(
    "people.person.renamed", _("Person's name corrected by the officer who appointed them")
)
MANDATE_CREATED = action("people.mandate.created", _("Appointment"))
MANDATE_ENDED = action("people.mandate.ended", _("Mandate ended"))
HEAD_PROFILE_SAVED = action("people.head_profile.saved", _("Head's profile saved"))
TRAINING_ADDED = action("people.training.added", _("Course added to a training record"))
ALLOWANCE_RATE_ADDED = action("people.allowance_rate.added", _("Allowance rate added"))
