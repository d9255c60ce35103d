"""Every write of the surveys: forms, campaigns, one-time codes, responses by each channel."""

import csv
import datetime
import hashlib
import hmac
import io
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from caunoi.core import pagecache
from caunoi.core.audit import audit_record
from caunoi.core.codes import CODE_DIGITS, code_hash
from caunoi.core.codes import hash_key as _secret
from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import locked
from caunoi.core.text import normalize
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import audit, xlsform
from .answering import clean_answers
from .models import Ballot, Campaign, Channel, Form, Invitation, PaperEntry, Response, Tally

TALLIED = {"select_one", "select_multiple", "range"}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000


class AnswersInvalid(ApplicationError):
    code = "invalid_answers"

    def __init__(self, errors: dict):
        super().__init__(_("Some answers need correcting."), extra={"errors": errors})
        self.errors = errors


def household_key(*, campaign_id: int, household_id: int) -> str:
    """The keyed hash that stands for a household in one campaign (irreversible without the
    servers' secret; different in every campaign, so campaigns cannot be joined either)."""
    message = f"household:{campaign_id}:{household_id}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------------------- forms


@transaction.atomic
def form_import(*, actor, data: bytes) -> Form:
    definition = xlsform.parse_workbook(data)
    title = definition["title"] or _("Imported form")
    form = Form.objects.create(title=title[:200], definition=definition, created_by=actor)
    audit_record(actor=actor, action=audit.FORM_IMPORTED, obj=form)
    return form


def form_builtin() -> Form:
    form = Form.objects.filter(builtin=True).order_by("id").first()
    if form is None:
        definition = xlsform.head_evaluation()
        form = Form.objects.create(title=definition["title"], definition=definition, builtin=True)
    return form


# ----------------------------------------------------------------------------------- campaigns


@transaction.atomic
def campaign_create(
    *,
    actor,
    unit: Unit,
    form: Form,
    title: str,
    start: datetime.date,
    end: datetime.date,
    target: int = 0,
    min_per_area: int = 1,
    named: bool = False,
    double_entry: bool = False,
) -> Campaign:
    if unit is not None and unit.level not in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        raise ApplicationError(_("A campaign covers a province, a district or a commune."))
    if end < start:
        raise ApplicationError(_("The campaign must end on or after its first day."))
    campaign = Campaign.objects.create(
        title=normalize(title).strip(),
        form=form,
        unit=unit,
        start=start,
        end=end,
        target=target,
        min_per_area=min_per_area,
        named=named,
        double_entry=double_entry,
        created_by=actor,
    )
    audit_record(actor=actor, action=audit.CAMPAIGN_CREATED, obj=campaign, unit=unit)
    return campaign


def _in_campaign(campaign: Campaign, area: Unit) -> bool:
    return area.is_area and campaign.covers(area)


@transaction.atomic
def invitations_issue(*, actor, campaign: Campaign, area: Unit) -> list[tuple]:
    """A new one-time code for each active household of the area that has not answered:
    [(household, code)], shown once for printing slips; only the codes' hashes are kept."""
    if not _in_campaign(campaign, area):
        raise ApplicationError(_("This area is not in the campaign."))
    households = [
        (h, household_key(campaign_id=campaign.pk, household_id=h.pk))
        for h in area.households.filter(is_active=True).order_by("code")
    ]
    answered = set(
        campaign.ballots.filter(key__in=[k for _h, k in households]).values_list("key", flat=True)
    )
    out, rows = [], []
    for household, key in households:
        if key in answered:
            continue
        code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
        rows.append(Invitation(campaign=campaign, area=area, code_hash=code_hash(code), key=key))
        out.append((household, code))
    Invitation.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=audit.CODES_ISSUED,
        obj=campaign,
        unit=area,
        after={"codes": len(rows)},
    )
    return out


# ----------------------------------------------------------------------------------- responses


def tally_keys(definition: dict, answers: dict) -> list[tuple[str, str]]:
    keys = [("", "")]
    for q in definition["questions"]:
        if q["type"] not in TALLIED or q["name"] not in answers:
            continue
        value = answers[q["name"]]
        for v in value if isinstance(value, list) else [value]:
            keys.append((q["name"], str(v)))
    return keys


def _scope(campaign: Campaign, within: Unit | None) -> str:
    """The path under which the areas of a paper sheet or an import must lie."""
    return within.path if within is not None else campaign.scope_path


def _tally_add(campaign: Campaign, area: Unit, keys) -> None:
    ground = rollup.ground_ids(area)  # the roll-up's level keys, read from the area's path
    for question, choice in keys:
        updated = Tally.objects.filter(
            campaign=campaign, area=area, question=question, choice=choice
        ).update(count=F("count") + 1)
        if updated:
            continue
        try:
            with transaction.atomic():
                Tally.objects.create(
                    campaign=campaign,
                    **ground,
                    path=area.path,
                    question=question,
                    choice=choice,
                    count=1,
                )
        except IntegrityError:  # another response created it meanwhile
            Tally.objects.filter(
                campaign=campaign, area=area, question=question, choice=choice
            ).update(count=F("count") + 1)


def _check_open(campaign: Campaign) -> None:
    if not campaign.is_open(timezone.localdate()):
        raise ApplicationError(
            _("This survey is not open: it runs from %(start)s to %(end)s.")
            % {
                "start": campaign.start.strftime("%d/%m/%Y"),
                "end": campaign.end.strftime("%d/%m/%Y"),
            },
            code="closed",
        )


def _already() -> ApplicationError:
    return ApplicationError(
        _(
            "Your household has already answered this survey. "
            "Thank you: each household answers once."
        ),
        code="already_answered",
        status=409,
    )


def _record(campaign, area, answers, *, channel, key=None, name="", started=None) -> Response:
    """`started`: when the form was opened (the form's metadata `start`; now when unknown)."""
    if key is not None:
        try:
            with transaction.atomic():
                Ballot.objects.create(campaign=campaign, key=key)
        except IntegrityError:
            raise _already() from None
    response = Response.objects.create(
        campaign=campaign,
        area=area,
        answers=answers,
        channel=channel,
        respondent_name=name if campaign.named else "",
        received_on=timezone.localdate(),
        # (a paper sheet typed by a clerk has no time of its own: its typing is not its answer)
        meta=xlsform.metadata_values(
            campaign.form.definition, started=_started(started), ended=timezone.now()
        )
        if channel == Channel.ONLINE
        else {},
    )
    _tally_add(campaign, area, tally_keys(campaign.form.definition, answers))
    pagecache.bump(area)  # the published results above it count it (no audit: it is anonymous)
    return response


def _started(started: datetime.datetime | None) -> datetime.datetime | None:
    """When the form was opened, as the page said: kept if it is in the last day and not in the
    future (a page left open longer, or a clock gone wrong, says nothing true)."""
    now = timezone.now()
    if started is None or not now - datetime.timedelta(days=1) <= started <= now:
        return None
    return started


def invitation_find(code: str) -> Invitation | None:
    digits = "".join(ch for ch in str(code or "") if ch.isdigit())
    if len(digits) != CODE_DIGITS:
        return None
    return (
        Invitation.objects.select_related("campaign__form", "campaign__unit", "area__parent")
        .filter(code_hash=code_hash(digits))
        .first()
    )


@transaction.atomic
def response_submit_code(
    *, code: str, raw: dict, lang: str = "vi", name: str = "", started=None
) -> Response:
    """A household answers with its one-time code (a link or typed); `started`, when it opened
    the form."""
    invitation = invitation_find(code)
    if invitation is None:
        raise ApplicationError(
            _("This code is not valid. Check the code on your slip."), code="bad_code"
        )
    invitation = locked(invitation)
    campaign = invitation.campaign
    _check_open(campaign)
    if invitation.used:
        raise _already()
    answers, errors = clean_answers(campaign.form.definition, raw, lang)
    if errors:
        raise AnswersInvalid(errors)
    if campaign.named and not normalize(name).strip():
        raise AnswersInvalid({"respondent_name": _("Write your name: this consultation is named.")})
    response = _record(
        campaign,
        invitation.area,
        answers,
        channel=Channel.ONLINE,
        key=invitation.key,
        name=normalize(name).strip(),
        started=started,
    )
    invitation.used = True
    invitation.save(update_fields=["used"])
    return response


@transaction.atomic
def response_submit_household(
    *, campaign: Campaign, household, raw: dict, lang: str = "vi", name: str = "", started=None
) -> Response:
    """A signed-in resident answers for their household (`started`: when the form opened)."""
    area = household.area
    if not _in_campaign(campaign, area):
        raise ApplicationError(_("Your household is not in this survey's territory."), status=404)
    _check_open(campaign)
    answers, errors = clean_answers(campaign.form.definition, raw, lang)
    if errors:
        raise AnswersInvalid(errors)
    key = household_key(campaign_id=campaign.pk, household_id=household.pk)
    Invitation.objects.filter(campaign=campaign, key=key).update(used=True)
    return _record(
        campaign,
        area,
        answers,
        channel=Channel.ONLINE,
        key=key,
        name=normalize(name).strip(),
        started=started,
    )


def household_answered(*, campaign: Campaign, household) -> bool:
    key = household_key(campaign_id=campaign.pk, household_id=household.pk)
    return Ballot.objects.filter(campaign=campaign, key=key).exists()


# -------------------------------------------------------------------------------------- paper


@dataclass
class PaperResult:
    state: str  # counted, waiting, mismatch
    differences: list[str] = field(default_factory=list)


def _area_in(campaign: Campaign, within: Unit | None, code: str) -> Unit:
    area = (
        Unit.objects.select_related("parent__parent")
        .filter(
            level=Level.AREA,
            code=normalize(code).strip(),
            path__startswith=_scope(campaign, within),
        )
        .first()
    )
    if area is None or not _in_campaign(campaign, area):
        raise AnswersInvalid({"area": _("No residential area of this campaign has this code.")})
    return area


@transaction.atomic
def paper_enter(
    *,
    actor,
    campaign: Campaign,
    sheet: str,
    area_code: str,
    code: str = "",
    raw: dict,
    lang: str = "vi",
    within: Unit | None = None,
) -> PaperResult:
    """A clerk types one paper sheet, for the areas `within` a unit of the campaign (the page's).
    Without double entry it counts at once; with it, the first typing waits, the second counts
    when both agree, or flags the sheet with the questions that differ; a third typing of a
    flagged sheet settles it."""
    sheet = normalize(sheet).strip()
    if not sheet:
        raise AnswersInvalid({"sheet": _("Write the sheet number printed on the paper.")})
    area = _area_in(campaign, within, area_code)
    answers, errors = clean_answers(campaign.form.definition, raw, lang)
    if errors:
        raise AnswersInvalid(errors)
    invitation = None
    if code.strip():
        invitation = invitation_find(code)
        if (
            invitation is None
            or invitation.campaign_id != campaign.pk
            or invitation.area_id != area.pk
        ):
            raise AnswersInvalid(
                {"code": _("This code is not valid. Check the code on your slip.")}
            )
        if invitation.used:
            raise _already()
    entry = PaperEntry.objects.select_for_update().filter(campaign=campaign, sheet=sheet).first()

    def count() -> PaperResult:
        _record(
            campaign,
            area,
            answers,
            channel=Channel.PAPER,
            key=invitation.key if invitation else None,
        )
        if invitation is not None:
            Invitation.objects.filter(pk=invitation.pk).update(used=True)
        return PaperResult("counted")

    if entry is not None and entry.state == PaperEntry.State.DONE:
        raise AnswersInvalid({"sheet": _("Sheet %(sheet)s is already counted.") % {"sheet": sheet}})
    typed = {"area": area.code, "answers": answers, "code": code.strip()}
    if not campaign.double_entry:
        result = count()
        PaperEntry.objects.create(
            campaign=campaign,
            sheet=sheet,
            area=area,
            answers={},
            state=PaperEntry.State.DONE,
            entered_by=actor,
        )
        return result
    if entry is None:
        PaperEntry.objects.create(
            campaign=campaign,
            sheet=sheet,
            area=area,
            answers=typed,
            code="",
            entered_by=actor,
        )
        return PaperResult("waiting")
    if entry.state == PaperEntry.State.WAITING:
        first = entry.answers
        differences = []
        if first["area"] != typed["area"]:
            differences.append("area")
        if first.get("code", "") != typed["code"]:
            differences.append("code")
        for q in campaign.form.questions:
            if first["answers"].get(q["name"]) != answers.get(q["name"]):
                differences.append(q["name"])
        if differences:
            entry.second = typed
            entry.state = PaperEntry.State.MISMATCH
            entry.save(update_fields=["second", "state"])
            return PaperResult("mismatch", differences)
    result = count()
    entry.answers, entry.second, entry.state = {}, None, PaperEntry.State.DONE
    entry.save(update_fields=["answers", "second", "state"])
    return result


# ------------------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row, errors)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not any(errs for _row, errs in self.rows)

    @property
    def errors(self) -> list[tuple[int, list[str]]]:
        return [(row, errs) for row, errs in self.rows if errs]


class ImportRefused(ApplicationError):
    """Nothing was imported: `report` lists the rows to correct."""

    code = "import_refused"

    def __init__(self, report: ImportReport):
        n = len(report.errors)
        super().__init__(
            ngettext(
                "%(n)s row has errors: nothing was imported.",
                "%(n)s rows have errors: nothing was imported.",
                n,
            )
            % {"n": n}
        )
        self.report = report


AREA_COLUMNS = {"khu", "area", "ma_khu", "area_code"}


def _table(data: bytes, filename: str) -> list[list]:
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApplicationError(_("The CSV file must be saved as UTF-8.")) from None
        return list(csv.reader(io.StringIO(text)))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ApplicationError(
            _("This file is not an Excel workbook (.xlsx) or a CSV file.")
        ) from None
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return normalize(str(value)).strip()


def _meta_value(kind: str, value) -> str | None:
    """A metadata cell of an imported row as the response keeps it (ISO 8601, a time with its
    offset, local when the cell has none), "" when empty, None when it is not a date (or time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = normalize(str(value)).strip()
        try:
            moment = datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            try:
                moment = datetime.datetime.strptime(text, "%d/%m/%Y")
            except ValueError:
                return None
    if kind == "today":
        return moment.date().isoformat()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).isoformat(timespec="milliseconds")


def _ignored_column(header: str, metadata: dict[str, str]) -> bool:
    """A column an export from KoboToolbox or ODK carries that is no question: metadata (the
    form's start, end and today kept; deviceid and the like never read) and the tool's own ("_id",
    "_uuid", "_submission_time", "__version__"…)."""
    return header in metadata or header in xlsform.METADATA or header.startswith("_")


def responses_import(
    *,
    actor,
    campaign: Campaign,
    data: bytes,
    filename: str,
    lang: str = "vi",
    within: Unit | None = None,
) -> ImportReport:
    """Responses from an Excel or CSV table (first row: `khu` then question names), for the areas
    `within` a unit of the campaign (the page's). All or nothing: one bad row and nothing is
    saved; `ImportRefused` carries the report that says, row by row, what is wrong."""
    if not data:
        raise ApplicationError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("The file is too large (at most 10 MB)."))
    table = _table(data, filename)
    if not table:
        raise ApplicationError(_("The file is empty."))
    header = [_cell(c).lower() for c in table[0]]
    area_col = next((i for i, h in enumerate(header) if h in AREA_COLUMNS), None)
    if area_col is None:
        raise ApplicationError(_("The first row must name the columns, starting with “khu”."))
    names = {q["name"] for q in campaign.form.questions}
    metadata = {m["name"].lower(): m["type"] for m in campaign.form.definition.get("metadata", [])}
    recorded = {
        i: (m["name"], m["type"])
        for i, h in enumerate(header)
        for m in xlsform.recorded_metadata(campaign.form.definition)
        if h == m["name"].lower() and h not in names
    }
    unknown = [
        h
        for i, h in enumerate(header)
        if h and i != area_col and h not in names and not _ignored_column(h, metadata)
    ]
    if unknown:
        raise ApplicationError(
            _("The column “%(name)s” is not a question of this form.") % {"name": unknown[0]}
        )
    body = [r for r in table[1:] if any(_cell(c) for c in r)]
    if len(body) > MAX_IMPORT_ROWS:
        raise ApplicationError(_("At most %(n)s rows per file.") % {"n": MAX_IMPORT_ROWS})
    wanted = {_cell(r[area_col]) for r in body if area_col < len(r)}
    in_scope = Unit.objects.filter(level=Level.AREA, path__startswith=_scope(campaign, within))
    if len(wanted) <= 2000:  # (an IN list stays within SQLite's limit on parameters)
        in_scope = in_scope.filter(code__in=wanted)
    areas = {a.code: a for a in in_scope}
    report = ImportReport()
    good: list[tuple[Unit, dict, dict]] = []
    for number, row in enumerate(table[1:], start=2):
        cells = [_cell(c) for c in row]
        if not any(cells):
            continue
        errs = []
        code = cells[area_col] if area_col < len(cells) else ""
        area = areas.get(code)
        if area is None:
            errs.append(
                _("no residential area of this campaign has the code “%(code)s”") % {"code": code}
            )
        raw = {h: cells[i] for i, h in enumerate(header) if h in names and i < len(cells)}
        answers, errors = clean_answers(campaign.form.definition, raw, lang)
        errs += [f"{name}: {msg}" for name, msg in errors.items()]
        meta = {}
        for i, (name, kind) in recorded.items():
            value = _meta_value(kind, row[i] if i < len(row) else None)
            if value is None:
                errs.append(
                    f"{name}: " + (_("not a date") if kind == "today" else _("not a date and time"))
                )
            elif value:
                meta[name] = value
        report.rows.append((number, errs))
        if not errs and area is not None:  # (an unknown area is an error of its row)
            good.append((area, answers, meta))
    if not report.ok:
        raise ImportRefused(report)
    with transaction.atomic():
        responses_bulk(campaign=campaign, rows=good, channel=Channel.IMPORT)
        audit_record(
            actor=actor,
            action=audit.RESPONSES_IMPORTED,
            obj=campaign,
            unit=campaign.unit,
            after={"rows": len(good), "file": filename[:100]},
        )
    report.created = len(good)
    return report


def responses_bulk(
    *, campaign: Campaign, rows: list[tuple], channel: str, on=None, batch: int = 5000
) -> int:
    """Insert many checked responses at once and add them to the tallies (import, demo): rows of
    (area, answers) or (area, answers, the form's metadata as it came)."""
    day = on or timezone.localdate()
    definition = campaign.form.definition
    counts: Counter = Counter()
    by_area = {}
    objs = []
    for area, answers, *meta in rows:
        by_area[area.pk] = area
        objs.append(
            Response(
                campaign=campaign,
                area=area,
                answers=answers,
                channel=channel,
                received_on=day,
                meta=meta[0] if meta else {},
            )
        )
        for key in tally_keys(definition, answers):
            counts[(area.pk, *key)] += 1
        if len(objs) >= batch:
            Response.objects.bulk_create(objs)
            objs = []
    Response.objects.bulk_create(objs)
    # One upsert per tally row, adding to what is there (PostgreSQL and SQLite both know
    # ON CONFLICT … DO UPDATE); concurrent answers add through the same row lock.
    table = Tally._meta.db_table
    sql = (
        f"INSERT INTO {table} (campaign_id, area_id, commune_id, district_id, province_id, path, "
        "question, choice, count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (campaign_id, area_id, question, choice) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )
    params = []
    for (area_id, question, choice), n in counts.items():
        area = by_area[area_id]
        ground = rollup.ground_ids(area)
        params.append(
            (
                campaign.pk,
                area_id,
                ground["commune_id"],
                ground["district_id"],
                ground["province_id"],
                area.path,
                question,
                choice,
                n,
            )
        )
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            cursor.executemany(sql, params[start : start + batch])
    for area in by_area.values():
        pagecache.bump(area)  # the published results above them (once per commune)
    return len(rows)
