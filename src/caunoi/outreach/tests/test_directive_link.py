"""A notice that carries out a commune's task: publishing it counts as progress on that task."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from caunoi.directives import services as directive_services
from caunoi.directives.models import Assignment, Report, Status
from caunoi.outreach import services
from caunoi.outreach.models import Notice
from caunoi.testing import send_directive

from .factories import draft, publish


def _task(world, area=None, title="Phổ biến lịch tiêm phòng"):
    due = timezone.localdate() + datetime.timedelta(days=40)
    body = "Thông báo lịch tiêm cho mọi hộ."
    d = send_directive(world, areas=[area or world.area_a1], due=due, title=title, body=body)
    return Assignment.objects.get(directive=d)


def test_publishing_the_notice_moves_the_task(outreach):
    task = _task(outreach)
    assert task.status == Status.UNREAD
    notice = publish(outreach, assignment=task)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS and task.acknowledged_at is not None
    report = Report.objects.get(assignment=task, kind=Report.Kind.PROGRESS)
    assert notice.title in report.note and "3" in report.note
    assert report.by == outreach.head_a1


def test_the_form_offers_the_area_s_open_tasks_and_refuses_someone_else_s(outreach, client_for):
    mine = _task(outreach)
    theirs = _task(outreach, area=outreach.area_a2, title="Việc của khu khác")
    client = client_for(outreach.head_a1)
    url = reverse("outreach:new", args=["khu", outreach.area_a1.code])
    page = client.get(url).content.decode()
    assert mine.directive.title in page and theirs.directive.title not in page
    data = {
        "title": "Lịch tiêm phòng",
        "body": "Sáng 20/6 tại nhà văn hóa.",
        "category": "health",
        "is_public": "1",
        "assignment": str(theirs.pk),
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and Notice.objects.count() == 0
    assert "Select a valid choice" in refused.content.decode()
    data["assignment"] = str(mine.pk)
    assert client.post(url, data).status_code == 302
    assert Notice.objects.get().assignment == mine


def test_a_task_closed_meanwhile_does_not_stop_the_notice(outreach):
    task = _task(outreach)
    notice = draft(outreach, assignment=task)
    directive_services.assignment_complete(
        actor=outreach.head_a1, assignment=task, note="Đã thông báo bằng loa."
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        notice = services.notice_publish(actor=outreach.head_a1, notice=notice)
    assert notice.is_published
    task.refresh_from_db()
    assert task.status == Status.DONE


def test_the_service_takes_only_an_open_task_of_the_notice_s_one_area(outreach):
    """The business rule stays in the service (which tasks the actor works on is the door's)."""
    other_area = _task(outreach, area=outreach.area_a2)
    with pytest.raises(ValidationError) as exc:
        draft(outreach, assignment=other_area)
    assert set(exc.value.message_dict) == {"assignment"}
    Assignment.objects.filter(pk=other_area.pk).update(status=Status.DONE)
    other_area.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        draft(outreach, actor=outreach.head_b1, unit=outreach.area_a2, assignment=other_area)
    assert set(exc.value.message_dict) == {"assignment"}
    assert not Notice.objects.exists()
