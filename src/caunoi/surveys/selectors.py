"""Reads of the surveys: campaigns on someone's ground, and results summed from the tallies (a
fixed number of queries whatever the number of responses)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from caunoi.people import access
from caunoi.people.selectors import household_list_represented
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import policy, stats
from .models import Campaign, Form, PaperEntry, Response, Tally
from .permissions import RESULTS, RUN
from .services import household_answered

TALLIED = {"select_one", "select_multiple", "range"}


def campaign_list(user) -> QuerySet[Campaign]:
    """Campaigns whose territory meets the user's ground for results: national ones, those in
    their ground, and those above it (a province campaign seen by a commune officer)."""
    acc = access.Access.for_user(user)
    paths = acc.paths(RESULTS)
    if not paths:
        return Campaign.objects.none()
    campaigns = Campaign.objects.select_related("unit", "form").order_by("-start", "id")
    if "" in paths:  # everywhere (a system administrator)
        return campaigns
    # The units above each mandate, read from its path (Unit.ancestor_ids, without a query).
    ancestors = {i for path in paths for i in Unit(path=path).ancestor_ids}
    return campaigns.filter(
        Q(unit__isnull=True) | acc.unit_filter(RESULTS, "unit__") | Q(unit_id__in=ancestors)
    )


def campaign_start_unit(campaign: Campaign, user) -> Unit | None:
    """Where the user's results of a campaign they reach start: its territory when they may read
    it whole, else the highest unit of their ground inside it; None for the whole country."""
    acc = access.Access.for_user(user)
    if campaign.unit is None and "" in acc.paths(RESULTS):
        return None
    if campaign.unit is not None and acc.can(RESULTS, campaign.unit):
        return campaign.unit
    return (
        Unit.objects.filter(path__in=acc.paths(RESULTS), path__startswith=campaign.scope_path)
        .order_by("level", "code")
        .first()
    )


def campaign_grounds(user) -> QuerySet[Unit]:
    """The units over which the user may open a campaign (a province, district or commune)."""
    paths = access.Access.for_user(user).paths(RUN)
    return Unit.objects.filter(path__in=paths, level__lt=Level.AREA).order_by("level", "code")


def campaign_to_answer(user, *, today) -> list[Campaign]:
    """Open campaigns the user's household has not answered yet (for their home page)."""
    out = []
    for household in household_list_represented(user):
        area = household.area
        open_here = Campaign.objects.filter(
            Q(unit_id__in=[*area.ancestor_ids, area.pk]) | Q(unit__isnull=True),
            start__lte=today,
            end__gte=today,
        ).order_by("-start", "id")
        out += [c for c in open_here if not household_answered(campaign=c, household=household)]
    return out


def form_list() -> QuerySet[Form]:
    """Every survey form: forms belong to no unit, every ground may use them."""
    return Form.objects.all()


def response_rows(campaign: Campaign, unit: Unit):
    """(area code, channel, day, name, answers, metadata) of every response under `unit`, oldest
    first."""
    return (
        Response.objects.filter(campaign=campaign, area__path__startswith=unit.path)
        .order_by("id")
        .values_list("area__code", "channel", "received_on", "respondent_name", "answers", "meta")
        .iterator(chunk_size=5000)
    )


def paper_entry_pending(campaign: Campaign, ground: Unit, limit: int = 100):
    """Sheets typed once, or whose two typings differ, under `ground`."""
    return (
        PaperEntry.objects.filter(
            campaign=campaign,
            area__path__startswith=ground.path,
            state__in=[PaperEntry.State.WAITING, PaperEntry.State.MISMATCH],
        )
        .select_related("area")
        .order_by("-state", "sheet")[:limit]
    )


@dataclass
class Choice:
    name: str
    label: str
    share: stats.Share


@dataclass
class Question:
    name: str
    label: str
    total: int
    choices: list[Choice]


@dataclass
class ChildRow:
    unit: Unit
    total: int
    suppressed: bool
    share: stats.Share | None = None
    z: float = 0.0
    meaningful: bool = False
    areas: int = 0
    areas_reached: int = 0


@dataclass
class Results:
    campaign: Campaign
    unit: Unit | None  # None: the whole country
    total: int
    suppressed: bool
    questions: list[Question] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    key_question: Question | None = None
    key_choice: Choice | None = None
    areas: int = 0
    areas_reached: int = 0


def _questions(campaign: Campaign, sums: dict, total: int, lang: str) -> list[Question]:
    form = campaign.form
    out = []
    for q in form.questions:
        if q["type"] not in TALLIED:
            continue
        if q["type"] == "range":
            p = q["parameters"]
            values: list[tuple[str, None]] = []
            v = p["start"]
            while v <= p["end"] + 1e-9 and len(values) < 50:
                values.append((str(int(v)) if float(v).is_integer() else str(v), None))
                v += p["step"] or 1
            names = [(name, name) for name, _x in values]
        else:
            names = [(c["name"], form.text(c["label"], lang)) for c in form.choices(q)]
        answered = (
            total
            if q["type"] == "select_multiple"
            else sum(sums.get((q["name"], n), 0) for n, _l in names)
        )
        choices = [
            Choice(n, label, stats.Share(sums.get((q["name"], n), 0), answered))
            for n, label in names
        ]
        out.append(Question(q["name"], form.text(q["label"], lang), answered, choices))
    return out


@dataclass
class ChildFigures:
    """A unit's sums for the by-unit table: responses, answers to the key question and those
    that chose its first choice, areas that reached the campaign's least number of responses."""

    total: int | None
    answered: int | None
    first: int | None
    reached: int


def campaign_results(
    campaign: Campaign, unit: Unit | None, *, lang: str = "vi", children: bool = True
) -> Results:
    """Counts and 95% Wilson intervals per question for `unit` (within the campaign; None: the
    whole country), and the key question's first choice per child unit (the territory's roll-up),
    each child marked where it differs meaningfully from the rest of `unit`. Areas under
    MIN_RESPONSES are suppressed (they count in totals only). `children=False`: the questions
    only."""
    # By the unit's own key column (indexed), not a LIKE on the path, which PostgreSQL cannot
    # serve from a b-tree under a non-C collation.
    base = rollup.on_ground(Tally.objects.filter(campaign=campaign), unit)
    sums = {
        (r["question"], r["choice"]): r["n"]
        for r in base.values("question", "choice").annotate(n=Sum("count"))
    }
    total = sums.get(("", ""), 0)
    few = total < policy.MIN_RESPONSES.value
    suppressed = unit is not None and unit.is_area and few
    res = Results(campaign, unit, total, suppressed)
    if suppressed:
        return res
    res.questions = _questions(campaign, sums, total, lang)
    if res.questions:
        res.key_question = res.questions[0]
        res.key_choice = res.key_question.choices[0] if res.key_question.choices else None
    if not children or (unit is not None and unit.is_area):
        return res
    key = res.key_question.name if res.key_question else None
    first = res.key_choice.name if res.key_choice else None
    counted = Q(question="")
    by_unit = rollup.rollup(
        Tally.objects.filter(counted | Q(question=key), campaign=campaign),
        unit,
        figures={
            "total": Sum("count", filter=counted),
            "answered": Sum("count", filter=Q(question=key)),
            "first": Sum("count", filter=Q(question=key, choice=first)),
            "reached": Count(
                "area", distinct=True, filter=counted & Q(count__gte=campaign.min_per_area)
            ),
        },
        row=ChildFigures,
    )
    all_answered = by_unit.total.figures.answered or 0
    all_first = by_unit.total.figures.first or 0
    # The country's areas are not counted (a hundred thousand of them, for one figure).
    areas = {}
    if unit is not None and by_unit.child_level is not None:
        areas = rollup.area_counts(unit, by_unit.child_level)
    for line in by_unit:
        if line.unit is None:  # (a child is a unit; only the country's total has none)
            continue
        d = line.figures
        n, answered, chose = d.total or 0, d.answered or 0, d.first or 0
        hidden = n < policy.MIN_RESPONSES.value
        row = ChildRow(
            line.unit, n, hidden, areas=areas.get(line.unit.pk, 0), areas_reached=d.reached
        )
        if not hidden and first is not None and answered:
            row.share = stats.Share(chose, answered)
            row.z, row.meaningful = stats.two_proportions(
                chose, answered, all_first - chose, all_answered - answered
            )
        res.children.append(row)
    res.areas = sum(areas.values())
    res.areas_reached = by_unit.total.figures.reached
    return res


def campaign_compare(campaign: Campaign, a: Unit, b: Unit, *, lang: str = "vi") -> list[dict]:
    """Per question and choice, the two units' shares and whether the difference is meaningful."""
    ra = campaign_results(campaign, a, lang=lang, children=False)
    rb = campaign_results(campaign, b, lang=lang, children=False)
    out = []
    for qa, qb in zip(ra.questions, rb.questions, strict=False):
        rows = []
        for ca, cb in zip(qa.choices, qb.choices, strict=False):
            z, meaningful = stats.two_proportions(
                ca.share.count, ca.share.total, cb.share.count, cb.share.total
            )
            rows.append(
                {"label": ca.label, "a": ca.share, "b": cb.share, "z": z, "meaningful": meaningful}
            )
        out.append({"label": qa.label, "rows": rows})
    return out


def campaign_list_covering(unit: Unit | None, *, year: int) -> list[Campaign]:
    """The campaigns of `year` (by their start) whose territory covers `unit` (the unit's own
    campaign or one of a unit above it), the widest first: the survey table of a unit's report."""
    found = Campaign.objects.filter(start__year=year).select_related("unit", "form")
    return sorted(
        (c for c in found if _covers(c, unit)),
        key=lambda c: (len(c.unit.path) if c.unit else 0, c.start, c.pk),
    )


def campaign_years(unit: Unit | None) -> set[int]:
    """The years in which a campaign covering `unit` started."""
    starts = Campaign.objects.select_related("unit").only("start", "unit__path")
    return {c.start.year for c in starts if _covers(c, unit)}


def _covers(campaign: Campaign, unit: Unit | None) -> bool:
    """Whether the campaign's territory (None: the whole country) holds `unit` (None: the whole
    country, which only a national campaign covers)."""
    if campaign.unit is None:
        return True
    return unit is not None and unit.path.startswith(campaign.unit.path)
