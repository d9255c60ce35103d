"""Pages of the elections. The commune decides an election with its timeline, lists the
candidates, publishes the list, records the count of the election meeting, recognises the result
(the head's mandate starts), decides a re-election or appoints a temporary head; a head's leaving
office goes through its meeting and the commune's decision. The area's households read; anyone
reads the area's published candidates and results.

Every page gets its unit from `unit_required` or its object from `permissions.access_*`; every
form that writes goes through `core.pages` (once per key)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.core.official import to_docx, to_pdf
from caunoi.core.pagecache import public_page
from caunoi.core.pages import SubmissionForm, bound, form_page, object_form_page, render
from caunoi.core.responses import docx_response, pdf_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.people.selectors import mandate_term_end
from caunoi.territory.models import Level
from caunoi.territory.selectors import unit_get, unit_of_area_page

from . import deadlines, documents, policy, selectors, services
from . import permissions as perms
from .forms import (
    CandidateForm,
    CountForm,
    ElectionForm,
    LeavingCountForm,
    LeavingDecideForm,
    LeavingForm,
    RecogniseForm,
    ReElectionForm,
    TemporaryForm,
)
from .models import Candidate, Election, Leaving, Status


def _status_url(area) -> str:
    """The elections of the area's commune: the way back from a form about the area."""
    commune = area.parent
    return reverse("elections:status", args=[commune.url_prefix, commune.code]) if commune else "/"


def _form(request, election, form, **kwargs):
    return object_form_page(
        request, "elections/form.html", form, election, election=election, **kwargs
    )


@unit_required(perms.FOLLOW, level=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE))
@require_GET
def status(request, unit):
    rows = selectors.election_status_rows(unit)
    return render(
        request,
        "elections/status.html",
        unit=unit,
        rows=rows,
        can_decide=unit.level == Level.COMMUNE and access.can(request.user, perms.DECIDE, unit),
        overdue=sum(1 for r in rows if r.overdue),
        rules=policy.RULES,
    )


@require_GET
@public_page(unit_of_area_page)
def area_public(request, code: str):
    """The area's elections for anyone: the published candidates and the results (names, years
    of birth, votes; no phone)."""
    # public: the area's published lists and results are for everyone, as its page is.
    area = unit_get(level=Level.AREA, code=code)
    if area is None:
        raise Http404
    elections = [e for e in selectors.election_list(area=area) if e.status != Status.DECIDED]
    return render(request, "elections/area_public.html", unit=area, elections=elections)


@unit_required(perms.DECIDE, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def decide(request, unit):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=policy.PLAN_LEAD_DAYS.value + 1)
    form = ElectionForm(
        **bound(request),
        initial={
            "decided_on": today,
            "team_on": today,
            "list_due_on": day - datetime.timedelta(days=policy.LIST_LEAD_DAYS.value),
            "notice_on": day - datetime.timedelta(days=policy.NOTICE_LEAD_DAYS.value),
            "election_day": day,
            "at": datetime.time(8, 0),
            "place": _("Cultural house of %(area)s") % {"area": unit.short_name},
        },
    )
    return form_page(
        request,
        "elections/form.html",
        form,
        unit=unit,
        write=lambda data: services.election_decide(actor=request.user, area=unit, **data),
        success=_("Election decided. Now list the candidates of the Front work committee."),
        title=_("Decide the election of the head"),
        button=_("Decide the election"),
        back=_status_url(unit),
        rules=policy.TIMELINE_RULES,
    )


@login_required
@require_GET
def election_detail(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.READ)
    can_decide = election.area.is_current and access.can(request.user, perms.DECIDE, election.area)
    candidates = list(election.candidates.all())
    total = election.households_total
    for c in candidates:
        c.share = (c.votes or 0) / total if total else 0  # type: ignore[attr-defined]
    nxt = selectors.next_round_get(election)
    return render(
        request,
        "elections/election.html",
        unit=election.area,
        election=election,
        candidates=candidates,
        can_decide=can_decide,
        timeline=_timeline(election),
        needed=services.arithmetic.needed_more_than(total, policy.WIN_SHARE.value),
        total=total,
        recognition_due=deadlines.recognition_due(election),
        overdue=deadlines.recognition_overdue(election),
        re_election_due=deadlines.re_election_due(election),
        failed_rounds=services.failed_rounds(election),
        next_round=nxt,
        today=timezone.localdate(),
        rules=policy.RULES,
    )


def _timeline(election: Election) -> list[tuple]:
    """(what, date, latest, rule) of R-3.1, for the page."""
    rows: list[tuple] = []
    for label, day, rule in (
        (_("Decision and plan"), election.decided_on, policy.PLAN_LEAD_DAYS),
        (_("Election team"), election.team_on, policy.TEAM_LEAD_DAYS),
        (_("Candidate list to the commune"), election.list_due_on, policy.LIST_LEAD_DAYS),
        (_("Public notice"), election.notice_on, policy.NOTICE_LEAD_DAYS),
    ):
        if election.previous_id and rule is not policy.NOTICE_LEAD_DAYS:
            rows.append((label, day, None, None))
            continue
        rows.append((label, day, election.election_day - datetime.timedelta(days=rule.value), rule))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def candidate_add(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    form = CandidateForm(
        **bound(request),
        initial={
            "nominated": Candidate.Nominated.CTMT
            if election.status == Status.DECIDED
            else Candidate.Nominated.NOMINATED
        },
    )
    return _form(
        request,
        election,
        form,
        write=lambda data: services.candidate_add(actor=request.user, election=election, **data),
        next=election.get_absolute_url(),
        success=_("Candidate added."),
        title=_("Add a candidate"),
        button=_("Add the candidate"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    return _form(
        request,
        election,
        SubmissionForm(**bound(request)),
        write=lambda data: services.list_publish(actor=request.user, election=election),
        success=_("The candidate list is published on the area's page."),
        title=_("Publish the candidate list"),
        intro=_(
            "The list is sent to the commune and shown to everyone on the area's page. It cannot "
            "be changed afterwards: later candidates are nominated at the meeting."
        ),
        button=_("Publish the list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def count(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    candidates = list(election.candidates.all())
    initial: dict = {"method": "ballot"}
    if election.meeting.is_recorded:
        initial["households_present"] = election.meeting.households_present
    form = CountForm(**bound(request), candidates=candidates, initial=initial)
    total = election.area.household_count
    return _form(
        request,
        election,
        form,
        write=lambda data: services.election_count(actor=request.user, election=election, **data),
        success=_("The count is recorded."),
        title=_("Record the count of the election meeting"),
        intro=_(
            "The area has %(total)s households. The meeting is held with more than half of them "
            "represented; a candidate is elected with more than half of ALL households: at least "
            "%(needed)s votes."
        )
        % {
            "total": total,
            "needed": services.arithmetic.needed_more_than(total, policy.WIN_SHARE.value),
        },
        button=_("Record the count"),
        rules=policy.COUNT_RULES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognise(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    form = RecogniseForm(**bound(request), initial={"recognised_on": timezone.localdate()})
    return _form(
        request,
        election,
        form,
        write=lambda data: services.election_recognise(
            actor=request.user, election=election, **data
        ),
        success=_("Recognised: the new head's mandate begins on the day of the decision."),
        title=_("Recognise the result"),
        intro=_("The decision ends the previous head's mandate and starts %(name)s's on its date.")
        % {"name": election.winner.full_name if election.winner else "—"},
        button=_("Recognise"),
        rules=[policy.RECOGNITION_WORKDAYS],
    )


@login_required
@require_http_methods(["GET", "POST"])
def re_election(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    today = timezone.localdate()
    day = max(
        today + datetime.timedelta(days=policy.NOTICE_LEAD_DAYS.value + 1),
        election.election_day + datetime.timedelta(days=1),
    )
    form = ReElectionForm(
        **bound(request),
        initial={
            "decided_on": today,
            "team_on": today,
            "notice_on": today,
            "election_day": day,
            "at": datetime.time(8, 0),
            "place": election.meeting.place,
            "team_leader": election.team_leader,
            "team_members": election.team_members,
        },
    )
    return _form(
        request,
        election,
        form,
        write=lambda data: services.re_election_decide(
            actor=request.user, election=election, **data
        ),
        success=_("Re-election decided. The list's candidates stand again."),
        title=_("Decide a re-election"),
        button=_("Decide the re-election"),
        rules=[policy.RE_ELECTION_DAYS, policy.NOTICE_LEAD_DAYS],
    )


@login_required
@require_http_methods(["GET", "POST"])
def temporary(request, pk: int):
    election = perms.access_election(user=request.user, pk=pk, perm=perms.DECIDE)
    form = TemporaryForm(**bound(request), initial={"on": timezone.localdate()})
    return _form(
        request,
        election,
        form,
        write=lambda data: services.temporary_appoint(
            actor=request.user, election=election, **data
        ),
        next=election.get_absolute_url(),
        success=_("Temporary head appointed."),
        title=_("Appoint a temporary head"),
        button=_("Appoint"),
        rules=[policy.FAILED_ROUNDS],
    )


DOCUMENTS = {
    "quyet-dinh": ("decision", lambda e: True),
    "bien-ban-kiem-phieu": ("counting_minutes", lambda e: e.is_counted),
    "cong-nhan": ("recognition", lambda e: e.status == Status.RECOGNISED),
}


@login_required
@require_GET
def document(request, pk: int, doc: str, fmt: str):
    if doc not in DOCUMENTS or fmt not in ("pdf", "docx"):
        raise Http404
    election = perms.access_election(user=request.user, pk=pk, perm=perms.READ)
    builder, ready = DOCUMENTS[doc]
    if not ready(election):
        raise Http404
    official = getattr(documents, builder)(election)
    name = f"{doc}-{election.area.code}-{election.election_day:%Y%m%d}.{fmt}"
    if fmt == "pdf":
        return pdf_response(to_pdf(official), name)
    return docx_response(to_docx(official), name)


# ------------------------------------------------------------------------- leaving office


@unit_required(perms.DECIDE, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def leaving_start(request, unit):
    form = LeavingForm(
        **bound(request),
        initial={
            "date": timezone.localdate() + datetime.timedelta(days=7),
            "at": datetime.time(19, 30),
            "place": _("Cultural house of %(area)s") % {"area": unit.short_name},
        },
    )

    def write(data):
        day, at = data.pop("date"), data.pop("at")
        data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, at))
        return services.leaving_start(actor=request.user, area=unit, **data)

    return form_page(
        request,
        "elections/form.html",
        form,
        unit=unit,
        write=write,
        success=_("The meeting on the head's leaving office is planned."),
        title=_("The head leaves office"),
        intro=_(
            "Only a community meeting decides that the head leaves office (NĐ 59/2023 Điều 9), "
            "then the commune's decision ends the mandate."
        ),
        button=_("Plan the meeting"),
        back=_status_url(unit),
        rules=policy.LEAVING_RULES,
    )


@login_required
@require_GET
def leaving_detail(request, pk: int):
    leaving = perms.access_leaving(user=request.user, pk=pk, perm=perms.READ)
    return render(
        request,
        "elections/leaving.html",
        unit=leaving.area,
        leaving=leaving,
        can_decide=leaving.area.is_current and access.can(request.user, perms.DECIDE, leaving.area),
        needed=services.arithmetic.needed_more_than(
            leaving.households_total, policy.DISMISSAL_SHARE.value
        ),
        term_end=mandate_term_end(leaving.mandate),
        rules=policy.LEAVING_RULES,
    )


def _leaving_form(request, leaving: Leaving, form, **kwargs):
    return object_form_page(
        request, "elections/form.html", form, leaving, next=leaving.get_absolute_url(), **kwargs
    )


@login_required
@require_http_methods(["GET", "POST"])
def leaving_count(request, pk: int):
    leaving = perms.access_leaving(user=request.user, pk=pk, perm=perms.DECIDE)
    return _leaving_form(
        request,
        leaving,
        LeavingCountForm(**bound(request)),
        write=lambda data: services.leaving_count(actor=request.user, leaving=leaving, **data),
        success=_("The meeting's count is recorded."),
        title=_("Record the meeting's count"),
        button=_("Record the count"),
        rules=policy.LEAVING_RULES,
    )


@login_required
@require_http_methods(["GET", "POST"])
def leaving_decide(request, pk: int):
    leaving = perms.access_leaving(user=request.user, pk=pk, perm=perms.DECIDE)
    return _leaving_form(
        request,
        leaving,
        LeavingDecideForm(**bound(request), initial={"decided_on": timezone.localdate()}),
        write=lambda data: services.leaving_decide(actor=request.user, leaving=leaving, **data),
        success=_("The head's mandate has ended. A new election is due."),
        title=_("The commune's decision"),
        button=_("End the mandate"),
    )
