"""The reports app's writes (atomic, audited; the door checked the permission)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record
from caunoi.core.models import locked
from caunoi.core.text import normalize

from . import audit
from .models import Publication


@transaction.atomic
def publication_create(*, actor: Any, campaign: Any, unit: Any, note: str = "") -> Publication:
    """Publish `campaign`'s aggregate results for `unit`'s ground (a province, district or
    commune inside the campaign's territory)."""
    if unit.is_area:
        raise ValidationError(_("An area's results are never published: they rate a named head."))
    if campaign.unit is not None and not unit.path.startswith(campaign.unit.path):
        raise ValidationError(_("This survey did not cover this unit."))
    if Publication.objects.filter(campaign=campaign, unit=unit, withdrawn_at=None).exists():
        raise ValidationError(_("These results are already public."))
    publication = Publication.objects.create(
        campaign=campaign, unit=unit, note=normalize(note), published_by=actor
    )
    audit_record(actor=actor, action=audit.PUBLISHED, obj=publication, unit=unit)
    return publication


@transaction.atomic
def publication_withdraw(*, actor: Any, publication: Publication) -> Publication:
    publication = locked(publication)
    if publication.withdrawn_at is None:
        publication.withdrawn_at = timezone.now()
        publication.withdrawn_by = actor
        publication.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit_record(actor=actor, action=audit.WITHDRAWN, obj=publication, unit=publication.unit)
    return publication


@transaction.atomic
def rules_save(
    *,
    actor: Any,
    province: Any,
    year: int,
    criteria: list[dict[str, Any]],
    excellent: int,
    good: int,
    floor: int,
    basis: str,
) -> Any:
    """A new version of the province's emulation rules for `year` (the earlier ones are kept)."""
    from .models import EmulationRules

    if sum(c["weight"] for c in criteria) != 100:
        raise ValidationError(_("The weights must add up to 100 points."))
    if not floor < good < excellent <= 100:
        raise ValidationError(
            _("The thresholds must rise: needs support < good < excellent ≤ 100 points.")
        )
    last = (
        EmulationRules.objects.select_for_update()
        .filter(province=province, year=year)
        .order_by("-version")
        .first()
    )
    rules = EmulationRules.objects.create(
        province=province,
        year=year,
        version=(last.version + 1) if last else 1,
        criteria=criteria,
        excellent=excellent,
        good=good,
        floor=floor,
        basis=normalize(basis),
        entered_by=actor,
    )
    audit_record(actor=actor, action=audit.RULES_SAVED, obj=rules, unit=province)
    return rules


# --- Commendation of heads (lesson 5: commend good heads in time) -------------------------------


def propose_deadline(year: int) -> Any:
    """The last day to propose heads for `year` (PROPOSE_DAYS working days after it ends)."""
    import datetime

    from caunoi.core.workdays import add_working_days

    from . import policy

    return add_working_days(datetime.date(year, 12, 31), policy.PROPOSE_DAYS.value)


def decide_deadline(day: Any) -> Any:
    from caunoi.core.workdays import add_working_days

    from . import policy

    return add_working_days(day, policy.DECIDE_DAYS.value)


def scorecard_snapshot(card: Any) -> dict[str, Any]:
    """A scorecard as plain data, kept on the proposal line: the evidence as it stood."""
    return {
        "year": card.year,
        "score": card.score,
        "grade": card.grade,
        "households": card.households,
        "rushed": card.rushed,
        "commune_rushed_share": card.commune_rushed_share,
        "rules_version": card.rules.version,
        "rules_basis": card.rules.basis,
        "criteria": [
            {
                "key": c.key,
                "label": str(c.label),
                "weight": c.weight,
                "target": c.target,
                "value": c.value,
                "points": c.points,
            }
            for c in card.criteria
        ],
    }


@transaction.atomic
def proposal_create(
    *, actor: Any, commune: Any, year: int, award: str, lines: list[dict[str, Any]]
) -> Any:
    """The commune proposes heads for `year`'s `award`: each line an area of the commune (its
    current head) and a written reason; the head's scorecard is computed and kept with it."""
    from caunoi.people.models import Mandate, Role
    from caunoi.territory.models import Level, Unit

    from . import policy
    from .models import Award, Proposal, ProposalLine
    from .scorecards import scorecard

    today = timezone.localdate()
    if year > today.year:
        raise ValidationError(_("Heads are proposed for a year that has begun."))
    if award not in Award.values:
        raise ValidationError(_("Choose a commendation from the list."))
    province = commune.lineage()[0]
    if award == Award.DISTRICT and not any(u.level == Level.DISTRICT for u in commune.lineage()):
        raise ValidationError(_("This commune is under no district: choose another commendation."))
    if not lines:
        raise ValidationError(_("Choose at least one head to propose."))
    if Proposal.objects.filter(commune=commune, year=year, award=award).exists():
        raise ValidationError(
            _("This commune has already proposed heads for this commendation and year.")
        )
    areas = Unit.objects.in_bulk([line["area"] for line in lines])
    problems: list[str] = []
    made: list[tuple[Any, Any, str, Any]] = []
    for line in lines:
        area = areas.get(line["area"])
        if area is None or area.parent_id != commune.pk or not area.is_current:
            raise ValidationError(_("An area of another commune was given."))
        reason = normalize(line.get("reason") or "").strip()
        if not reason:
            problems.append(_("%(area)s: write the reason.") % {"area": area.short_name})
            continue
        mandate = (
            Mandate.objects.active()
            .filter(unit=area, role=Role.HEAD)
            .select_related("person")
            .order_by("-start")
            .first()
        )
        if mandate is None:
            problems.append(_("%(area)s has no head today.") % {"area": area.short_name})
            continue
        card = scorecard(area, year=year, province=province)
        if card.grade not in policy.GRADES.value:
            problems.append(
                _("%(area)s: the scorecard's grade (%(grade)s) is not one that may be proposed.")
                % {"area": area.short_name, "grade": card.grade_label}
            )
            continue
        made.append((area, mandate, reason, card))
    if problems:
        from caunoi.core.exceptions import ApplicationError

        raise ApplicationError(
            _("The proposal is not sent: correct these lines."), extra={"details": problems}
        )
    now = timezone.now()
    proposal = Proposal.objects.create(
        commune=commune,
        year=year,
        award=award,
        propose_by=propose_deadline(year),
        decide_by=decide_deadline(timezone.localtime(now).date()),
        submitted_by=actor,
        submitted_at=now,
    )
    for area, mandate, reason, card in made:
        ProposalLine.objects.create(
            proposal=proposal,
            area=area,
            person=mandate.person,
            role=mandate.role,
            reason=reason,
            scorecard=scorecard_snapshot(card),
            score=card.score,
            grade=card.grade,
        )
    audit_record(
        actor=actor,
        action=audit.PROPOSED,
        obj=proposal,
        unit=commune,
        after={"year": year, "award": award, "heads": len(made)},
    )
    return proposal


def _decision_number(proposal: Any, issuer: Any) -> str:
    from .models import Proposal

    n = (
        Proposal.objects.filter(
            award=proposal.award, year=proposal.year, state=Proposal.State.DECIDED
        )
        .filter(commune__path__startswith=issuer.path)
        .count()
    )
    return f"{n + 1}/QĐ-UBND"


@transaction.atomic
def proposal_decide(*, actor: Any, proposal: Any, decisions: dict[int, tuple[str, str]]) -> Any:
    """The deciding level's answer, line by line: {line id: (approved|returned|refused, reason)};
    a return or a refusal says why. Once no line waits, the decision is issued (its number)."""
    from .models import Proposal, ProposalLine
    from .permissions import deciding_unit

    proposal = locked(proposal)
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(_("This proposal is not waiting for a decision."))
    if proposal.submitted_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("Whoever sent a proposal does not decide it."))
    waiting = {line.pk: line for line in proposal.lines.filter(state=ProposalLine.State.PROPOSED)}
    if not decisions or set(decisions) - set(waiting):
        raise ValidationError(_("Decide the lines of this proposal that are waiting."))
    allowed = {ProposalLine.State.APPROVED, ProposalLine.State.RETURNED, ProposalLine.State.REFUSED}
    now = timezone.now()
    for pk, (state, note) in decisions.items():
        note = normalize(note or "").strip()
        if state not in allowed:
            raise ValidationError(_("Choose approve, return or refuse for each head."))
        if state != ProposalLine.State.APPROVED and not note:
            raise ValidationError(_("Say why a head is returned or refused."))
        line = waiting[pk]
        line.state, line.note, line.decided_at = state, note, now
        line.save(update_fields=["state", "note", "decided_at"])
        audit_record(
            actor=actor,
            action=audit.LINE_DECIDED,
            obj=line,
            unit=proposal.commune,
            after={"state": state, "note": note},
        )
    states = set(proposal.lines.values_list("state", flat=True))
    if ProposalLine.State.PROPOSED in states:
        pass  # some lines still wait
    elif ProposalLine.State.RETURNED in states:
        proposal.state = Proposal.State.RETURNED
    else:
        issuer = deciding_unit(proposal)
        proposal.state = Proposal.State.DECIDED
        proposal.decided_by, proposal.decided_at = actor, now
        proposal.number = _decision_number(proposal, issuer) if issuer is not None else ""
        audit_record(actor=actor, action=audit.DECISION_ISSUED, obj=proposal, unit=proposal.commune)
    proposal.save(update_fields=["state", "decided_by", "decided_at", "number"])
    return proposal


@transaction.atomic
def line_amend(*, actor: Any, line: Any, reason: str, because: str) -> Any:
    """The commune amends a returned line's reason, saying why; the line is proposed again and
    the decision's time counts from now."""
    from .models import Proposal, ProposalLine

    line = locked(line, "proposal")
    reason, because = normalize(reason or "").strip(), normalize(because or "").strip()
    if line.state != ProposalLine.State.RETURNED:
        raise ValidationError(_("Only a line returned for changes can be amended."))
    if not reason or not because:
        raise ValidationError(_("Write the new reason and why it was changed."))
    before = {"reason": line.reason}
    line.reason, line.amended_because, line.state = reason, because, ProposalLine.State.PROPOSED
    line.save(update_fields=["reason", "amended_because", "state"])
    proposal = line.proposal
    if not proposal.lines.filter(state=ProposalLine.State.RETURNED).exists():
        proposal.state = Proposal.State.PENDING
        proposal.decide_by = decide_deadline(timezone.localdate())
        proposal.save(update_fields=["state", "decide_by"])
    audit_record(
        actor=actor,
        action=audit.LINE_AMENDED,
        obj=line,
        unit=proposal.commune,
        before=before,
        after={"reason": reason, "because": because},
    )
    return line


@transaction.atomic
def line_consent(*, actor: Any, line: Any, public: bool) -> Any:
    """The head says whether an approved commendation may be shown on the area's public page."""
    from .models import Proposal, ProposalLine

    line = locked(line, "proposal")
    if line.state != ProposalLine.State.APPROVED or line.proposal.state != Proposal.State.DECIDED:
        raise ValidationError(_("Only a decided commendation can be shown publicly."))
    if line.public != public:
        line.public, line.public_set_at = public, timezone.now()
        line.save(update_fields=["public", "public_set_at"])
        audit_record(
            actor=actor,
            action=audit.CONSENT_SET,
            obj=line,
            unit=line.area,
            after={"public": public},
        )
    return line
