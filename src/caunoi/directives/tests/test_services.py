"""Directives through the services: lead time, load, reasons, the head's steps, bad input."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import AuditEntry
from caunoi.core.workdays import add_working_days
from caunoi.directives import reminders, services
from caunoi.directives.models import Assignment, Directive, Reminder, Status

from .conftest import far_due

pytestmark = pytest.mark.django_db


def jpeg(name="anh.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def test_a_rushed_directive_needs_a_reason_and_keeps_it(world, head_a2, make_directive):
    due = add_working_days(timezone.localdate(), 2)
    d = make_directive(due=due, send=False)
    preview = services.directive_preview(d)
    assert preview.lead_working_days == 2 and preview.below_min_lead and preview.needs_reason
    with pytest.raises(ValidationError) as exc:
        services.directive_send(actor=world.officer_a, directive=d, reason="  ")
    assert "reason" in exc.value.error_dict
    d.refresh_from_db()
    assert d.state == Directive.State.DRAFT and d.sent_at is None
    d = services.directive_send(actor=world.officer_a, directive=d, reason="Bão số 3 — khẩn")
    assert d.state == "sent" and d.below_min_lead and d.rush_reason == "Bão số 3 — khẩn"
    assert d.lead_working_days == 2
    assert AuditEntry.objects.filter(action="directives.directive.sent", object_id=str(d.pk))


def test_an_early_directive_needs_no_reason_and_stores_none(world, make_directive):
    d = make_directive(due=far_due(40), reason="")
    assert d.state == "sent" and not d.rushed and d.rush_reason == ""
    assert d.lead_working_days >= 20


def test_sending_twice_sends_once(world, make_directive):
    d = make_directive()
    again = services.directive_send(actor=world.officer_a, directive=d, reason="x")
    assert again.sent_at == d.sent_at
    assert Assignment.objects.filter(directive=d).count() == 2


def test_open_load_over_the_cap_warns(world, head_a2, make_directive, settings):
    settings.DIRECTIVE_MAX_OPEN_PER_HEAD = 2
    make_directive(areas=[world.area_a1])
    make_directive(areas=[world.area_a1])
    d = make_directive(areas=[world.area_a1, world.area_a2], send=False)
    preview = services.directive_preview(d)
    loads = {r.area.pk: (r.open_items, r.over_cap) for r in preview.rows}
    assert loads == {world.area_a1.pk: (2, True), world.area_a2.pk: (0, False)}
    assert preview.needs_reason and preview.burst_with
    d = services.directive_send(actor=world.officer_a, directive=d, reason="Tổng điều tra")
    assert d.over_cap and d.in_burst
    assert Assignment.objects.get(directive=d, area=world.area_a1).open_before == 2


def test_bad_input_is_refused_and_nothing_is_made(world):
    before = Directive.objects.count()
    lying = SimpleUploadedFile(
        "quyet-dinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    cases = [
        ({"due_date": timezone.localdate() - datetime.timedelta(days=1)}, "due_date"),
        ({"areas": []}, "areas"),
        ({"areas": [world.area_b1]}, "areas"),
        ({"files": [lying]}, "files"),
        ({"title": "   "}, "title"),
    ]
    for change, field in cases:
        kwargs = dict(
            actor=world.officer_a,
            commune=world.commune_a,
            title="Họp khu",
            body="Tổ chức họp",
            category="admin",
            due_date=far_due(),
            areas=[world.area_a1],
        )
        kwargs.update(change)
        with pytest.raises(ValidationError) as exc:
            services.directive_create(**kwargs)
        assert field in exc.value.error_dict, (change, exc.value)
    assert Directive.objects.count() == before


def test_too_big_attachment_is_refused(world, make_directive, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("anh.jpg", b"\xff" * 2000, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_directive(areas=[world.area_a1], files=[big], send=False)
    assert "1000" in exc.value.error_dict["files"][0].message


def test_nfd_text_is_stored_nfc(world, make_directive):
    import unicodedata

    d = make_directive(
        title=unicodedata.normalize("NFD", "Phòng chống bão"),
        body="Ðọc kỹ",
        all_areas=True,
        areas=None,
        send=False,
    )
    assert d.title == "Phòng chống bão" and d.body == "Đọc kỹ"
    assert d.assignments.count() == 2


def test_the_head_moves_the_assignment_to_done_with_evidence(world, make_directive):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    a = services.assignment_acknowledge(actor=world.head_a1, assignment=a)
    assert a.status == Status.ACKNOWLEDGED and a.acknowledged_at
    again = services.assignment_acknowledge(actor=world.head_a1, assignment=a)
    assert again.acknowledged_at == a.acknowledged_at and a.reports.count() == 1
    a = services.assignment_progress(
        actor=world.head_a1, assignment=a, percent=40, note="Đã đi 20 hộ"
    )
    assert (a.status, a.percent) == (Status.IN_PROGRESS, 40)
    a = services.assignment_complete(
        actor=world.head_a1, assignment=a, note="Xong", households_reached=1, files=[jpeg()]
    )
    assert (a.status, a.percent, a.households_reached) == (Status.DONE, 100, 1)
    assert Directive.objects.get(pk=d.pk).on_time_count == 1
    evidence = a.reports.get(kind="done").files.get()
    assert evidence.content_type == "image/jpeg"
    with pytest.raises(ValidationError) as exc:
        services.assignment_progress(actor=world.head_a1, assignment=a, percent=50)
    assert exc.value.code is None and "100" not in exc.value.messages[0]
    assert exc.value.messages[0] == str(services._closed_error(a).messages[0])
    a.refresh_from_db()
    assert a.percent == 100 and a.status == Status.DONE


def test_bad_progress_values_change_nothing(world, make_directive):
    a = make_directive(areas=[world.area_a1]).assignments.get()
    for value in (-1, 101, "mười", None):
        with pytest.raises(ValidationError):
            services.assignment_progress(actor=world.head_a1, assignment=a, percent=value)
    a.refresh_from_db()
    assert a.status == Status.UNREAD and a.percent == 0


def test_cannot_do_needs_a_reason(world, make_directive):
    a = make_directive(areas=[world.area_a1]).assignments.get()
    with pytest.raises(ValidationError):
        services.assignment_decline(actor=world.head_a1, assignment=a, reason="")
    a = services.assignment_decline(actor=world.head_a1, assignment=a, reason="Mưa lũ")
    assert a.status == Status.CANNOT and a.closed_at


def test_amend_shows_the_changes_and_withdraw_keeps_everything(world, make_directive):
    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    services.assignment_acknowledge(actor=world.head_a1, assignment=a)
    new_due = far_due(45)
    d = services.directive_amend(
        actor=world.officer_a,
        directive=d,
        title=d.title,
        body="Thêm: hộ cận nghèo",
        due_date=new_due,
        note="Bổ sung",
    )
    assert d.version == 2
    change = d.changes.get()
    assert change.changes["due_date"][1] == new_due.isoformat() and "body" in change.changes
    a.refresh_from_db()
    assert a.changed_since_seen
    services.assignment_acknowledge(actor=world.head_a1, assignment=a)
    a.refresh_from_db()
    assert not a.changed_since_seen
    with pytest.raises(ValidationError):
        services.directive_amend(
            actor=world.officer_a, directive=d, title=d.title, body=d.body, due_date=d.due_date
        )
    d = services.directive_withdraw(actor=world.officer_a, directive=d, reason="Trùng việc")
    assert d.state == "withdrawn" and Directive.objects.filter(pk=d.pk).exists()
    with pytest.raises(ApplicationError):
        services.assignment_progress(actor=world.head_a1, assignment=a, percent=50)
    assert Assignment.objects.open().filter(pk=a.pk).count() == 0


def test_reminders_before_due_and_when_overdue_once_each(world, make_directive):
    today = timezone.localdate()
    due = add_working_days(today, 1)
    a = make_directive(areas=[world.area_a1], due=due).assignments.get()
    assert reminders.reminders_send(today=today) == 1
    assert reminders.reminders_send(today=today) == 0
    assert reminders.reminders_send(today=due + datetime.timedelta(days=1)) == 1
    kinds = set(Reminder.objects.filter(assignment=a).values_list("kind", flat=True))
    assert kinds == {"due_soon", "overdue"}
    assert reminders.reminders_mark_read(assignment=a) == 2
    assert reminders.reminders_mark_read(assignment=a) == 0


def test_every_step_is_audited_under_a_declared_name(world, make_directive):
    from caunoi.core.audit import ACTIONS
    from caunoi.directives import audit

    d = make_directive(areas=[world.area_a1])
    a = d.assignments.get()
    services.assignment_progress(actor=world.head_a1, assignment=a, percent=10)
    services.assignment_complete(actor=world.head_a1, assignment=a, note="Xong")
    services.directive_withdraw(actor=world.officer_a, directive=d, reason="Trùng việc")
    recorded = set(
        AuditEntry.objects.filter(action__startswith="directives.").values_list("action", flat=True)
    )
    assert recorded == {
        audit.DIRECTIVE_CREATED,
        audit.DIRECTIVE_SENT,
        audit.ASSIGNMENT_PROGRESSED,
        audit.ASSIGNMENT_COMPLETED,
        audit.DIRECTIVE_WITHDRAWN,
    }
    assert all(ACTIONS[name].label for name in recorded)


def test_demo_year_has_rushed_batches_and_consistent_figures(world, head_a2, client_for):
    from caunoi.directives import demo, selectors

    n = demo.build(seed=7, per_commune=30)
    assert n > 0
    report = selectors.directive_lesson5(world.province, year=timezone.localdate().year)
    total = report.total.figures
    assert total.directives == Directive.objects.count() > 0
    assert total.median_lead is not None and total.peak_open >= 1
    assert 0 < total.completion <= 1
    # every stored open load is what the assignments themselves say at that moment
    for a in Assignment.objects.select_related("directive").order_by("?")[:20]:
        open_then = (
            Assignment.objects.filter(
                area=a.area,
                directive__sent_at__lt=a.directive.sent_at,
            )
            .exclude(closed_at__lte=a.directive.sent_at)
            .count()
        )
        assert a.open_before == open_then
