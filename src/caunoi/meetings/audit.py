"""The meetings' audited actions, each declared once with its label (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

MEETING_CREATED = action("meetings.meeting.created", _("Community meeting planned"))
MEETING_CHANGED = action("meetings.meeting.changed", _("Community meeting changed"))
ITEM_ADDED = action("meetings.item.added", _("Agenda item added"))
DOCUMENT_ADDED = action("meetings.document.added", _("Meeting document attached"))
CHECKLIST_TICKED = action("meetings.checklist.ticked", _("Meeting preparation checklist updated"))
MEETING_INVITED = action("meetings.meeting.invited", _("Meeting invitation sent to the households"))
ATTENDANCE_RECORDED = action("meetings.attendance.recorded", _("Households represented recorded"))
RESULTS_RECORDED = action("meetings.results.recorded", _("Meeting results recorded"))
MINUTES_UPLOADED = action("meetings.minutes.uploaded", _("Signed minutes uploaded"))
BALLOT_OPENED = action(
    "meetings.ballot.opened", _("Household ballot opened after a meeting without quorum")
)
SLIPS_ISSUED = action("meetings.slips.issued", _("Household ballot slips printed"))
SLIP_ANSWERED = action("meetings.slip.answered", _("Household ballot slip answered"))
BALLOT_CLOSED = action("meetings.ballot.closed", _("Household ballot closed and counted"))
BALLOT_REPORTED = action("meetings.ballot.reported", _("Ballot decision sent to the commune"))
CLUSTER_AUTHORISED = action(
    "meetings.cluster.authorised", _("Chair of a cluster's meeting authorised by the head")
)
CLUSTER_RESULTS_RECORDED = action(
    "meetings.cluster.results_recorded", _("Cluster meeting's votes recorded")
)
