"""Large imports in the background (issue 13, item 4): the uploaded list is kept in an
`ImportJob`, the outbox hands it to the `territory.import` Celery task after the commit, the
worker runs the same all-or-nothing importer with a progress callback, and the report is kept on
the job for its page (which refreshes itself until the worker has finished; no JavaScript).

Progress goes through the cache (Redis in production), not the database: the import's own
transaction holds the writes until it commits, so a row the worker updated inside it would stay
unseen, and on SQLite a second writer would wait for it."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caunoi.core import outbox
from caunoi.core.audit import audit_record
from caunoi.core.models import locked

from . import audit, vnunits
from .importers import ImportReport
from .models import ImportJob, Level, Unit
from .services import Decision

logger = logging.getLogger(__name__)

TOPIC = "territory.import"
LEASE = datetime.timedelta(hours=1)  # a job "running" longer than this had its worker die


def is_large(size: int) -> bool:
    """Imports of files above TERRITORY_IMPORT_BACKGROUND_BYTES run in the background."""
    return size > settings.TERRITORY_IMPORT_BACKGROUND_BYTES


def decision_options(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return {
        "effective_date": decision.effective_date.isoformat(),
        "number": decision.number,
        "date": decision.date.isoformat() if decision.date else None,
    }


def _decision(options: dict | None) -> Decision | None:
    if not options:
        return None
    return Decision(
        effective_date=datetime.date.fromisoformat(options["effective_date"]),
        number=options.get("number") or "",
        date=datetime.date.fromisoformat(options["date"]) if options.get("date") else None,
    )


@transaction.atomic
def import_job_create(
    *, actor, unit: Unit, kind: str, content: bytes, file_name: str = "", options: dict
) -> ImportJob:
    job = ImportJob.objects.create(
        actor=actor,
        unit=unit,
        kind=kind,
        content=content,
        file_name=file_name[:200],
        options=options,
    )
    audit_record(
        actor=actor,
        action=audit.IMPORT_QUEUED,
        obj=job,
        unit=unit,
        after={"kind": kind, "bytes": len(content), "check_only": bool(options.get("dry_run"))},
    )
    outbox.outbox_add(topic=TOPIC, payload={"job": job.pk})
    return job


@transaction.atomic
def import_job_apply(*, actor, checked: ImportJob, area_moves: dict[str, str]) -> ImportJob:
    """Import for real what `checked` (a finished check) showed, with the officer's choices for
    the areas of divided communes. Confirming twice gives the same import."""
    checked = locked(checked)
    if checked.applied_as_id is not None:
        return checked.applied_as  # type: ignore[return-value]
    mapping = {**checked.options.get("mapping", {}), **area_moves}
    job = import_job_create(
        actor=actor,
        unit=checked.unit,
        kind=checked.kind,
        content=bytes(checked.content),
        file_name=checked.file_name,
        options={**checked.options, "mapping": mapping, "dry_run": False},
    )
    checked.applied_as = job
    checked.content = b""
    checked.save(update_fields=["applied_as", "content"])
    return job


def _progress_key(job_id: int) -> str:
    return f"territory:import:{job_id}:progress"


def import_job_progress(job: ImportJob) -> tuple[int, int] | None:
    """(rows written, rows in all) while the worker runs, if it has said so yet."""
    value = cache.get(_progress_key(job.pk))
    return tuple(value) if value else None


def _claim(job_id: int) -> ImportJob | None:
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id).filter(
        Q(status=ImportJob.Status.WAITING)
        | Q(status=ImportJob.Status.RUNNING, started_at__lt=now - LEASE)
    )
    if not claimed.update(status=ImportJob.Status.RUNNING, started_at=now):
        return None
    return ImportJob.objects.select_related("unit", "actor").get(pk=job_id)


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a waiting job (None when another worker has it or it has finished). Never raises for
    a bad file: the job says what went wrong."""
    job = _claim(job_id)
    if job is None:
        return None

    def progress(done: int, total: int) -> None:
        cache.set(_progress_key(job_id), (done, total), 6 * 3600)

    try:
        report = _run(job, progress)
    except Exception as exc:  # a bug or the database away: the import rolled back
        logger.exception("Import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, error=repr(exc)[:2000], finished_at=timezone.now()
        )
        return ImportJob.objects.get(pk=job_id)
    status = ImportJob.Status.DONE if report.ok else ImportJob.Status.REFUSED
    update = {"status": status, "report": report_data(report), "finished_at": timezone.now()}
    if report.ok and not report.dry_run:
        update["content"] = b""  # imported: the file is not kept
    ImportJob.objects.filter(pk=job_id).update(**update)
    cache.delete(_progress_key(job_id))
    return ImportJob.objects.get(pk=job_id)


def _run(job: ImportJob, progress) -> ImportReport:
    from .importers import areas, gso, vnprovinces

    content = bytes(job.content)
    if job.kind == ImportJob.Kind.AREAS:
        return areas.import_template(content, actor=job.actor, commune=job.unit)
    module = gso if content[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") else vnprovinces
    return module.import_units(
        content,
        actor=job.actor,
        provinces={job.unit.code},
        decision=_decision(job.options.get("decision")),
        mapping=job.options.get("mapping") or None,
        dry_run=bool(job.options.get("dry_run")),
        progress=progress,
    )


def report_data(report: ImportReport) -> dict:
    """The report as JSON the job keeps (the page's template reads it as it reads a report)."""
    rows = lambda items: [dataclasses.asdict(p) for p in items]  # noqa: E731
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "errors": rows(report.errors),
        "fixes": rows(report.fixes),
        "notes": rows(report.notes),
        "created": {str(k): v for k, v in report.created.items()},
        "changed": {str(k): v for k, v in report.changed.items()},
        "unchanged": report.unchanged,
        "mapping": rows(report.mapping),
        "divided": rows(report.divided),
    }


@dataclasses.dataclass
class AreaChoice:
    area: Unit
    former: Unit
    choices: list[tuple[str, str]]  # (new commune code, its name), the default first
    chosen: str


def divided_areas(job: ImportJob) -> list[AreaChoice]:
    """The residential areas of each divided former commune a checked job found, with the new
    communes they may go to (the default one first)."""
    from caunoi.core.text import vn_sorted

    if not job.report:
        return []
    conv = vnunits.conversion()
    mapping = job.options.get("mapping") or {}
    out = []
    for line in job.report.get("divided", []):
        code = line["old_code"]
        targets = list(conv.divided.get(code, ()))
        if line["new_code"] not in targets:
            targets.insert(0, line["new_code"])
        else:
            targets.remove(line["new_code"])
            targets.insert(0, line["new_code"])
        choices = [(c, conv.new_names.get(c, c)) for c in targets]
        former = Unit.objects.filter(level=Level.COMMUNE, code=code).first()
        if former is None:
            continue
        areas = Unit.objects.filter(parent=former, level=Level.AREA, valid_to__isnull=True)
        for area in vn_sorted(areas, key=lambda a: a.name):
            out.append(AreaChoice(area, former, choices, mapping.get(area.code, line["new_code"])))
    return out
