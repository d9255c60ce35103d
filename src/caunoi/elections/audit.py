"""The elections' audited actions (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

ELECTION_DECIDED = action("elections.election.decided", _("Election of the head decided"))
CANDIDATE_ADDED = action("elections.candidate.added", _("Candidate added"))
LIST_PUBLISHED = action("elections.list.published", _("Candidate list published"))
ELECTION_COUNTED = action("elections.election.counted", _("Election counted"))
ELECTION_RECOGNISED = action("elections.election.recognised", _("Election result recognised"))
TEMPORARY_APPOINTED = action(
    "elections.temporary.appointed", _("Temporary head appointed after failed elections")
)
LEAVING_STARTED = action("elections.leaving.started", _("Head's leaving office started"))
LEAVING_COUNTED = action("elections.leaving.counted", _("Leaving-office meeting counted"))
LEAVING_DECIDED = action("elections.leaving.decided", _("Head's mandate ended by decision"))
