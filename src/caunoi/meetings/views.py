"""Pages of the community meetings. The head prepares (agenda, documents, checklist), invites
(Mẫu 01, an outreach notice, .ics), records on the day (households represented, then chair,
secretary, voting method and results) and gets the minutes (Mẫu 03). The area's households read
the meeting; the commune follows the readiness of its areas' meetings.

Every page gets its area from `unit_required` or its meeting from `permissions.access_meeting`;
every form that writes goes through `core.pages` (once per key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.pages import (
    SubmissionForm,
    bound,
    form_page,
    object_form_page,
    render,
    write_once,
)
from caunoi.core.ratelimit import Limit, RateLimited, ip_address
from caunoi.core.responses import bytes_response, docx_response, file_response, pdf_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory.models import Level

from . import arithmetic, ballots, clusters, deadlines, documents, policy, selectors, services
from . import permissions as perms
from .forms import (
    AttendanceForm,
    BallotOpenForm,
    ChecklistForm,
    ClusterForm,
    ClusterResultsForm,
    DocumentForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    ReportForm,
    ResultsForm,
    SlipForm,
)
from .models import CHECKLIST, Meeting, Status

ICS = "text/calendar; charset=utf-8"


def _slug(meeting: Meeting) -> str:
    return f"{meeting.area.code}-{meeting.starts_at:%Y%m%d}"


def _meeting_form(request, meeting, form, **kwargs):
    """One of the meeting's forms, on the meeting's area, with the way back to the meeting."""
    return object_form_page(request, "meetings/form.html", form, meeting, meeting=meeting, **kwargs)


@unit_required(perms.READ, level=Level.AREA)
@require_GET
def area_meetings(request, unit):
    return render(
        request,
        "meetings/area_meetings.html",
        unit=unit,
        meetings=list(selectors.meeting_list(area=unit)),
        can_prepare=unit.is_current and access.can(request.user, perms.PREPARE, unit),
    )


@unit_required(perms.PREPARE, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def meeting_add(request, unit):
    form = MeetingForm(**bound(request), initial={"convener_name": request.user.full_name})
    return form_page(
        request,
        "meetings/form.html",
        form,
        unit=unit,
        write=lambda data: services.meeting_create(actor=request.user, area=unit, **data),
        success=_("Meeting planned. Now put the items on its agenda."),
        title=_("Plan a community meeting"),
        button=_("Plan the meeting"),
        back=reverse("meetings:area", args=[unit.code]),
    )


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = perms.access_meeting(user=request.user, pk=pk, perm=perms.READ)
    parent = meeting.part_of if meeting.is_cluster else None
    items = selectors.item_list(meeting=parent or meeting)
    if parent is not None:  # a cluster shows the meeting's agenda and its own votes on it
        own = {r.item_id: r for r in meeting.cluster_results.all()}
        for item in items:
            result = own.get(item.pk)
            item.votes_for = result.votes_for if result else None
            item.votes_against = result.votes_against if result else None
            item.votes_abstained = result.votes_abstained if result else None
    can_prepare = meeting.area.is_current and access.can(request.user, perms.PREPARE, meeting.area)
    if not meeting.is_recorded and meeting.area.is_current:
        ask = reverse("feedback:ask", args=[meeting.area.code])
        day = f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}"
        for item in items:  # a question on an item before the day goes through the feedback
            start = _("About item %(order)s “%(title)s” of the meeting of %(date)s: ") % {
                "order": item.order,
                "title": item.title,
                "date": day,
            }
            item.question_url = f"{ask}?{urlencode({'noi-dung': start})}"
    present = meeting.households_present
    ballot = selectors.ballot_get(meeting=meeting)
    ballot_info = None
    if ballot is not None:
        ballot_info = {
            "ballot": ballot,
            "answered": ballot.slips.filter(answered_at__isnull=False).count(),
            "due": ballots.report_due(ballot),
            "overdue": ballots.is_report_overdue(ballot),
        }
    return render(
        request,
        "meetings/meeting.html",
        unit=meeting.area,
        meeting=meeting,
        items=items,
        decisions=[i for i in items if i.is_decision],
        documents=list(meeting.documents.all()),
        checklist=[(key, label, bool(meeting.checklist.get(key))) for key, label in CHECKLIST],
        can_prepare=can_prepare,
        quorum=meeting.quorum,
        needed_quorum=arithmetic.needed_more_than(
            meeting.area.household_count, policy.QUORUM_SHARE.value
        ),
        needed_decision=arithmetic.needed_more_than(
            meeting.households_total or meeting.area.household_count, policy.DECISION_SHARE.value
        ),
        procedural=[
            (
                _("Chair"),
                meeting.chair_name,
                arithmetic.procedural_verdict(meeting.chair_for, present),
            )
            if meeting.chair_for is not None and present
            else None,
            (
                _("Secretary"),
                meeting.secretary_name,
                arithmetic.procedural_verdict(meeting.secretary_for, present),
            )
            if meeting.secretary_for is not None and present
            else None,
            (
                _("Voting method"),
                meeting.get_method_display(),
                arithmetic.procedural_verdict(meeting.method_for, present),
            )
            if meeting.method_for is not None and present
            else None,
        ],
        calendar_url=documents.add_to_calendar_url(meeting),
        ballot=ballot_info,
        parent=parent,
        clusters=clusters.cluster_list(meeting=meeting) if parent is None else [],
        cluster_totals=selectors.cluster_totals(meeting) if parent is None else None,
        rules=policy.RULES[:3],
    )


def _prepare(request, pk):
    return perms.access_meeting(user=request.user, pk=pk, perm=perms.PREPARE)


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk: int):
    meeting = _prepare(request, pk)
    form = ItemForm(**bound(request))
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: services.item_add(actor=request.user, meeting=meeting, **data),
        next=lambda item: meeting.get_absolute_url(),
        success=_("Item added to the agenda."),
        title=_("Add an agenda item"),
        button=_("Add the item"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request, pk: int):
    meeting = _prepare(request, pk)
    items = list(meeting.items.order_by("order"))
    form = DocumentForm(**bound(request, files=True), items=items)

    def write(data):
        item = next((i for i in items if i.pk == data["item"]), None)
        return services.document_add(
            actor=request.user, meeting=meeting, file=data["file"], item=item
        )

    return _meeting_form(
        request,
        meeting,
        form,
        write=write,
        next=lambda doc: meeting.get_absolute_url(),
        success=_("Document attached."),
        title=_("Attach a document"),
        button=_("Attach"),
        multipart=True,
    )


@login_required
@require_GET
def document(request, pk: int, doc: int):
    meeting = perms.access_meeting(user=request.user, pk=pk, perm=perms.READ)
    found = perms.access_document(user=request.user, meeting=meeting, pk=doc)
    return file_response(
        found.file.open("rb"), filename=found.name, content_type=found.content_type, inline=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request, pk: int):
    meeting = _prepare(request, pk)
    form = ChecklistForm(
        **bound(request), initial={"ticked": [k for k, v in meeting.checklist.items() if v]}
    )
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: services.checklist_set(actor=request.user, meeting=meeting, **data),
        success=_("Checklist saved."),
        title=_("Preparation checklist"),
        button=_("Save the checklist"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, pk: int):
    meeting = _prepare(request, pk)
    form = SubmissionForm(**bound(request))
    return form_page(
        request,
        "meetings/invite.html",
        form,
        unit=meeting.area,
        write=lambda data: services.meeting_invite(actor=request.user, meeting=meeting),
        success=_("The invitation was sent to every household of the area."),
        meeting=meeting,
        items=selectors.item_list(meeting=meeting),
    )


@login_required
@require_GET
def invitation(request, pk: int, fmt: str):
    if fmt not in ("pdf", "docx", "ics"):
        raise Http404
    meeting = perms.access_meeting(user=request.user, pk=pk, perm=perms.READ)
    name = f"giay-moi-{_slug(meeting)}"
    if fmt == "pdf":
        per_household = request.GET.get("in") == "ho" and access.can(
            request.user, perms.PREPARE, meeting.area
        )
        return pdf_response(
            documents.invitation_pdf(meeting, per_household=per_household), f"{name}.pdf"
        )
    if fmt == "docx":
        return docx_response(documents.invitation_docx(meeting), f"{name}.docx")
    url = request.build_absolute_uri(meeting.get_absolute_url())
    return bytes_response(documents.ics(meeting, url=url), filename=f"{name}.ics", content_type=ICS)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk: int):
    meeting = _prepare(request, pk)
    if not meeting.is_cluster and meeting.clusters.exists():
        sums = selectors.cluster_totals(meeting)
        return _meeting_form(
            request,
            meeting,
            SubmissionForm(**bound(request)),
            write=lambda data: services.attendance_record(actor=request.user, meeting=meeting),
            success=_("Households represented recorded."),
            title=_("Add up the clusters' households"),
            intro=_(
                "%(recorded)s of %(clusters)s cluster meetings recorded: %(present)s households "
                "represented in all."
            )
            % {"recorded": sums.recorded, "clusters": sums.clusters, "present": sums.present},
            button=_("Record the meeting's households"),
            rules=[policy.QUORUM_SHARE],
        )
    households = list(selectors.household_list(meeting=meeting))
    form = AttendanceForm(**bound(request), households=households)

    def write(data):
        codes = set(data["households"])
        ticked = [h for h in households if h.code in codes]
        return services.attendance_record(
            actor=request.user,
            meeting=meeting,
            households=ticked,
            households_present=None if ticked else data["households_present"],
        )

    return form_page(
        request,
        "meetings/attendance.html",
        form,
        unit=meeting.area,
        write=write,
        success=lambda m: _("Households represented recorded."),
        meeting=meeting,
        needed=arithmetic.needed_more_than(meeting.area.household_count, policy.QUORUM_SHARE.value),
        rules=[policy.QUORUM_SHARE],
    )


@login_required
@require_http_methods(["GET", "POST"])
def results(request, pk: int):
    meeting = _prepare(request, pk)
    items = selectors.item_list(meeting=meeting)
    clustered = meeting.clusters.exists()  # the items' votes are the clusters' sums
    form = ResultsForm(
        **bound(request),
        items=items,
        votes=not clustered,
        initial={"chair_name": meeting.convener_name},
    )
    return form_page(
        request,
        "meetings/results.html",
        form,
        unit=meeting.area,
        write=lambda data: services.results_record(
            actor=request.user,
            meeting=meeting,
            **{k: v for k, v in form.service_data().items() if k != "submission"},
        ),
        success=_("Results recorded. The minutes are ready."),
        meeting=meeting,
        cluster_votes=selectors.cluster_totals(meeting).votes if clustered else None,
        needed_procedural=arithmetic.needed_more_than(
            meeting.households_present or 0, policy.PROCEDURAL_SHARE.value
        ),
        needed_decision=arithmetic.needed_more_than(
            meeting.households_total or 0, policy.DECISION_SHARE.value
        ),
        rules=[policy.PROCEDURAL_SHARE, policy.DECISION_SHARE],
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_add(request, pk: int):
    """The head authorises a chair for a cluster's sub-meeting of this meeting."""
    meeting = _prepare(request, pk)
    if meeting.is_cluster:
        raise Http404
    form = ClusterForm(**bound(request), initial={"place": meeting.place})
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: clusters.cluster_authorise(actor=request.user, meeting=meeting, **data),
        success=lambda c: (
            _("%(name)s is authorised to chair %(title)s.")
            % {"name": c.convener_name, "title": c.title}
        ),
        title=_("Authorise a chair for a cluster's meeting"),
        button=_("Authorise"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_results(request, pk: int):
    """A cluster's votes on the meeting's items."""
    cluster = _prepare(request, pk)
    if not cluster.is_cluster:
        raise Http404
    parent = cluster.part_of
    form = ClusterResultsForm(**bound(request), items=selectors.item_list(meeting=parent))
    return _meeting_form(
        request,
        cluster,
        form,
        write=lambda data: clusters.cluster_results_record(
            actor=request.user, cluster=cluster, results=form.results()
        ),
        success=_("The cluster's votes are recorded; the meeting adds them up."),
        title=_("Votes at the cluster's meeting"),
        intro=_("%(n)s households represented at this cluster.")
        % {"n": cluster.households_present or 0},
        button=_("Record the votes"),
    )


@login_required
@require_GET
def minutes(request, pk: int, fmt: str):
    if fmt not in ("pdf", "docx"):
        raise Http404
    meeting = perms.access_meeting(user=request.user, pk=pk, perm=perms.READ)
    if meeting.status not in (Status.HELD, Status.NOT_HELD, Status.BALLOTED):
        raise Http404
    name = f"bien-ban-{_slug(meeting)}"
    if fmt == "pdf":
        return pdf_response(documents.minutes_pdf(meeting), f"{name}.pdf")
    return docx_response(documents.minutes_docx(meeting), f"{name}.docx")


@login_required
@require_http_methods(["GET", "POST"])
def minutes_upload(request, pk: int):
    meeting = _prepare(request, pk)
    form = MinutesForm(**bound(request, files=True))
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: services.minutes_upload(actor=request.user, meeting=meeting, **data),
        success=_("Signed minutes uploaded."),
        title=_("Upload the signed minutes"),
        button=_("Upload"),
        multipart=True,
    )


@login_required
@require_GET
def minutes_scan(request, pk: int):
    meeting = perms.access_meeting(user=request.user, pk=pk, perm=perms.READ)
    if not meeting.minutes_scan:
        raise Http404
    ext = (meeting.minutes_scan.name or "").rsplit(".", 1)[-1]
    return file_response(
        meeting.minutes_scan.open("rb"),
        filename=f"bien-ban-da-ky-{_slug(meeting)}.{ext}",
        content_type=meeting.minutes_scan_type,
        inline=True,
    )


@unit_required(perms.FOLLOW, level=(Level.PROVINCE, Level.DISTRICT, Level.COMMUNE))
@require_GET
def readiness(request, unit):
    rows = selectors.meeting_readiness(unit=unit)
    today = timezone.localdate()
    regular = selectors.meeting_list_regular(unit=unit, today=today)
    return render(
        request,
        "meetings/readiness.html",
        unit=unit,
        rows=rows,
        days=policy.READINESS_DAYS.value,
        not_ready=sum(1 for r in rows if not r.ready),
        year=today.year,
        overdue=[r for r in regular if r.overdue],
        regular_areas=len(regular),
        deadlines=deadlines.regular_deadlines(today.year),
        rules=[policy.REGULAR_PER_YEAR, policy.READINESS_DAYS],
    )


# ------------------------------------------------------------------------ household ballot


@login_required
@require_http_methods(["GET", "POST"])
def ballot_open(request, pk: int):
    meeting = _prepare(request, pk)
    form = BallotOpenForm(**bound(request))
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: ballots.ballot_open(actor=request.user, meeting=meeting, **data),
        next=lambda b: meeting.get_absolute_url(),
        success=_("Household ballot opened. Print the slips."),
        title=_("Household ballot"),
        button=_("Open the ballot"),
        rules=[policy.DECISION_SHARE, policy.BALLOT_REPORT_WORKDAYS],
    )


@login_required
@require_POST
def ballot_slips(request, pk: int):
    """The slips with fresh codes, as a PDF to print (the codes exist only in this file)."""
    meeting = _prepare(request, pk)
    ballot = perms.access_ballot(meeting)
    try:
        slips = ballots.slips_issue(actor=request.user, ballot=ballot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(meeting.get_absolute_url())
    url = request.build_absolute_uri(reverse("meetings:slip_answer"))
    data = documents.ballot_slips_pdf(meeting, slips, closes_on=ballot.closes_on, url=url)
    return pdf_response(data, f"phieu-lay-y-kien-{_slug(meeting)}.pdf", inline=False)


@login_required
@require_http_methods(["GET", "POST"])
def slip_enter(request, pk: int):
    meeting = _prepare(request, pk)
    ballot = perms.access_ballot(meeting)
    waiting = list(
        selectors.household_list(meeting=meeting).filter(
            pk__in=ballot.slips.filter(answered_at__isnull=True).values("household_id")
        )
    )
    form = SlipForm(**bound(request), items=ballots.decision_items(meeting), households=waiting)

    def write(data):
        household = next(h for h in waiting if h.code == data["household"])
        return ballots.slip_enter(
            actor=request.user, ballot=ballot, household=household, answers=form.answers()
        )

    return _meeting_form(
        request,
        meeting,
        form,
        write=write,
        next=lambda slip: reverse("meetings:slip_enter", args=[meeting.pk]),
        success=_("Slip entered."),
        title=_("Enter a paper slip"),
        button=_("Enter the slip"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_close(request, pk: int):
    meeting = _prepare(request, pk)
    ballot = perms.access_ballot(meeting)
    form = SubmissionForm(**bound(request))
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: ballots.ballot_close(actor=request.user, ballot=ballot),
        next=lambda b: meeting.get_absolute_url(),
        success=_("Ballot closed and counted."),
        title=_("Close and count the ballot"),
        button=_("Close and count"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_report(request, pk: int):
    meeting = _prepare(request, pk)
    ballot = perms.access_ballot(meeting)
    form = ReportForm(**bound(request))
    return _meeting_form(
        request,
        meeting,
        form,
        write=lambda data: ballots.ballot_report(actor=request.user, ballot=ballot, **data),
        next=lambda b: meeting.get_absolute_url(),
        success=_("Recorded: the decision was sent to the commune."),
        title=_("Decision sent to the commune"),
        button=_("Save"),
        rules=[policy.BALLOT_REPORT_WORKDAYS],
    )


@require_http_methods(["GET", "POST"])
def slip_answer(request):
    """A household answers its ballot online with the code on its slip (no account needed)."""
    code = request.POST.get("code") or request.GET.get("ma") or ""
    slip = selectors.slip_open_get(code=code)
    items = ballots.decision_items(slip.ballot.meeting) if slip else []
    form = SlipForm(**bound(request), items=items, code=True, initial={"code": code})
    answering = any(key.startswith("item_") for key in request.POST)
    if request.method == "POST" and slip is not None and not answering:
        form = SlipForm(items=items, code=True, initial={"code": code})  # the code opened it
    elif request.method == "POST":
        try:
            Limit("meetings.code.ip", per=policy.CODE_TRIES_PER_IP.value, seconds=3600).hit(
                ip_address(request)
            )
        except RateLimited as exc:
            return render(
                request, "meetings/slip_answer.html", form=form, refused=exc.message, status=429
            )
        if slip is None:
            form.is_valid()
            form.add_error("code", _("This code is not valid or has been used."))
        elif form.is_valid():
            response = write_once(
                request,
                form,
                lambda data: ballots.slip_answer_code(code=code, answers=form.answers()),
                next=lambda s: reverse("meetings:slip_answer") + "?xong=1",
                success=_("Thank you: your household's answer is recorded."),
            )
            if response is not None:
                return response
    return render(
        request,
        "meetings/slip_answer.html",
        form=form,
        slip=slip,
        done=request.GET.get("xong") == "1",
    )
