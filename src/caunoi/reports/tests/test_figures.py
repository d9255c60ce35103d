"""The report read from stored figures: computed once, stale after a write, refreshed by the
outbox's task (with a worker) or by the next read (embedded)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.core.models import OutboxEvent
from caunoi.reports import figures
from caunoi.reports.models import ReportFigures
from caunoi.reports.tasks import figures_event
from caunoi.reports.tests.helpers import send_task

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _task(world):
    send_task(world, [world.area_a1])


def _tasks_sent(report):
    for lesson in report.lessons:
        for section in lesson.sections:
            if section.indicator.key == "directives.lead":
                return section.table.total.get("directives")
    return None


@pytest.mark.django_db(transaction=True)  # the page version moves at commit
def test_stored_once_then_stale_then_refreshed_by_the_task(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker runs the refresh
    first = figures.report_read(world.province, year=YEAR, lang="vi")
    assert not first.stale and ReportFigures.objects.count() == 1
    again = figures.report_read(world.province, year=YEAR, lang="vi")
    assert again.as_of == first.as_of and not again.stale  # read, not computed
    _task(world)
    stale = figures.report_read(world.province, year=YEAR, lang="vi")
    assert stale.stale and stale.as_of == first.as_of
    figures.report_read(world.province, year=YEAR, lang="vi")  # asked once only (the lease)
    events = OutboxEvent.objects.filter(topic=figures.TOPIC)
    assert events.count() == 1
    assert figures_event(events.get().pk)
    fresh = figures.report_read(world.province, year=YEAR, lang="vi")
    assert not fresh.stale and fresh.as_of > first.as_of
    assert _tasks_sent(fresh.report) != _tasks_sent(first.report)


def test_embedded_read_after_a_write_computes_again(world, client):
    figures.report_read(world.commune_a, year=YEAR, lang="vi")
    _task(world)
    read = figures.report_read(world.commune_a, year=YEAR, lang="vi")
    assert not read.stale
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:report", args=["xa", world.commune_a.code]))
    assert page.status_code == 200 and "Số liệu tính đến" in page.content.decode()


def test_sorted_on_read(world):
    _task(world)
    stored = figures.report_read(
        world.commune_a, year=YEAR, lang="vi", sort="directives.lead:-directives"
    )
    sorts = [s.sort for lesson in stored.report.lessons for s in lesson.sections if s.sort]
    assert sorts == ["-directives"]


def test_lines_formatted_when_stored_read_as_the_template_writes_them(world, client):
    """The stored lines carry their address and cells (formatted once, at the refresh); the
    page reads the same as from figures stored without them (the template's own formatting)."""
    _task(world)
    row = figures.figures_refresh(unit=world.province, year=YEAR, lang="vi")
    report = figures._loads(row.data)
    lines = [line for lesson in report.lessons for s in lesson.sections for line in s.table.lines]
    assert lines and all(line.href.endswith(f"?nam={YEAR}") and line.cells for line in lines)
    assert all(
        line.cells.count('<td class="n">') == len(s.table.columns)
        for lesson in report.lessons
        for s in lesson.sections
        for line in s.table.lines
    )
    client.force_login(world.province_officer)
    url = reverse("reports:report", args=["tinh", world.province.code])

    def main() -> str:  # (the page's forms carry a new CSRF token each time)
        page = client.get(url).content.decode()
        return page[page.index("<main") : page.index("</main>")]

    shown = main()
    assert lines[0].cells in shown
    for line in lines:  # as they were stored before the lines were formatted
        line.href = line.cells = ""
    ReportFigures.objects.filter(pk=row.pk).update(data=figures._dumps(report))
    assert main() == shown
