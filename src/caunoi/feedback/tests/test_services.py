"""The life of a question through the services: ask, escalate, answer, confirm or reopen, climb."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from caunoi.core.exceptions import ApplicationError
from caunoi.core.models import AuditEntry
from caunoi.core.workdays import add_working_days
from caunoi.feedback import services, tasks
from caunoi.feedback.models import Event, Notification, Request, Status, Tier

from .conftest import ask

pytestmark = pytest.mark.django_db


def test_asking_sets_the_heads_due_date_in_working_days_and_masks_phones(world, cats, asked):
    assert asked.level == Tier.HEAD and asked.status == Status.OPEN
    assert asked.due_date == add_working_days(asked.created_at, 3)
    assert "0912 345 678" in asked.text
    assert "0912" not in asked.public_text and "[" in asked.public_text
    assert asked.contact_phone == world.resident_a1.phone
    assert AuditEntry.objects.filter(action="feedback.request.created").count() == 1


def test_category_sets_its_own_due_times(world, cats):
    req = ask(world, cats, category=cats["papers"])
    assert req.due_date == add_working_days(req.created_at, 2)
    req = services.request_escalate(actor=world.head_a1, request=req)
    assert req.due_date == add_working_days(req.level_since, 5)


def test_escalate_answer_confirm(world, cats, asked):
    req = services.request_escalate(actor=world.head_a1, request=asked, note="Cần xã xử lý")
    assert req.level == Tier.COMMUNE
    # Escalating again is refused: it is at the commune already (who may act: test_pages).
    with pytest.raises(ApplicationError) as exc:
        services.request_escalate(actor=world.officer_a, request=req)
    assert exc.value.code == "stale"
    req = services.request_answer(
        actor=world.officer_a, request=req, answer="Xã sẽ sửa trong tuần."
    )
    assert req.status == Status.ANSWERED and req.answered_by_level == Tier.COMMUNE
    note = Notification.objects.get(person=world.resident_a1)
    assert str(req.pk) in note.message
    req = services.request_confirm(actor=world.resident_a1, request=req, resolved=True)
    assert req.status == Status.RESOLVED
    kinds = list(req.events.values_list("kind", flat=True))
    assert kinds == ["asked", "escalated", "answered", "resolved"]


def test_no_reopens_with_a_reason_at_the_level_that_answered(world, cats, asked):
    req = services.request_answer(actor=world.head_a1, request=asked, answer="Đã báo xã.")
    with pytest.raises(ValidationError) as exc:
        services.request_confirm(actor=world.resident_a1, request=req, resolved=False, reason=" ")
    assert "reason" in exc.value.error_dict
    assert Request.objects.get(pk=req.pk).status == Status.ANSWERED
    req = services.request_confirm(
        actor=world.resident_a1, request=req, resolved=False, reason="Vẫn còn sụt lún"
    )
    assert req.status == Status.OPEN and req.level == Tier.HEAD and req.reopen_count == 1
    assert req.events.filter(kind=Event.Kind.REOPENED, note="Vẫn còn sụt lún").exists()


def test_only_an_answered_question_is_confirmed(world, cats, asked):
    with pytest.raises(ApplicationError) as exc:
        services.request_confirm(actor=world.resident_a1, request=asked, resolved=True)
    assert exc.value.code == "stale"
    assert Request.objects.get(pk=asked.pk).status == Status.OPEN


def test_answering_twice_is_refused(world, cats, asked):
    services.request_answer(actor=world.head_a1, request=asked, answer="Một")
    with pytest.raises(ApplicationError) as exc:
        services.request_answer(actor=world.officer_a, request=asked, answer="Hai")
    assert exc.value.code == "stale"
    assert Request.objects.get(pk=asked.pk).answer == "Một"


def test_commune_returns_to_the_head(world, cats, asked):
    services.request_escalate(actor=world.head_a1, request=asked)
    req = services.request_return(actor=world.officer_a, request=asked, note="Khu tự xử lý được")
    assert req.level == Tier.HEAD and req.status == Status.OPEN
    # Back with the head: returning again is refused.
    with pytest.raises(ApplicationError) as exc:
        services.request_return(actor=world.officer_a, request=asked, note="Lần nữa")
    assert exc.value.code == "stale"


def test_overdue_requests_climb_to_the_commune(world, cats, asked, settings):
    later = ask(world, cats, text="Một câu hỏi khác")
    today = asked.due_date + datetime.timedelta(days=1)
    Request.objects.filter(pk=later.pk).update(due_date=today)  # not overdue yet
    assert services.requests_escalate_overdue(today=today) == 1
    asked.refresh_from_db()
    later.refresh_from_db()
    assert asked.level == Tier.COMMUNE and asked.due_date > today
    assert later.level == Tier.HEAD
    assert asked.events.filter(kind=Event.Kind.AUTO_ESCALATED).count() == 1
    assert AuditEntry.objects.filter(action="feedback.request.auto_escalated").count() == 1
    # Run again: nothing more climbs (the commune level is flagged, not moved).
    assert services.requests_escalate_overdue(today=today + datetime.timedelta(days=30)) == 1


def test_management_command_and_celery_task_climb(world, cats, asked):
    Request.objects.filter(pk=asked.pk).update(due_date=datetime.date(2020, 1, 1))
    call_command("escalate_overdue")
    assert Request.objects.get(pk=asked.pk).level == Tier.COMMUNE
    second = ask(world, cats, text="Thêm một câu")
    Request.objects.filter(pk=second.pk).update(due_date=datetime.date(2020, 1, 1))
    assert tasks.escalate_overdue.delay().get() == 1  # eager: no worker needed


@pytest.mark.parametrize(
    "text, field",
    [("", "text"), ("   \n  ", "text"), ("x" * 10_000, "text")],
)
def test_bad_text_changes_nothing(world, cats, text, field):
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        ask(world, cats, text=text)
    assert field in exc.value.error_dict
    assert Request.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_nfd_text_is_stored_nfc_and_searchable(world, cats):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Đèn đường hỏng ở ngõ Đình")
    req = ask(world, cats, text=nfd)
    assert req.text == unicodedata.normalize("NFC", nfd)
    services.request_answer(actor=world.head_a1, request=req, answer="Đã thay bóng đèn")
    from caunoi.feedback import selectors

    found = selectors.request_public_list(world.commune_a, q="den duong")
    assert [r.pk for r in found] == [req.pk]
    found = selectors.request_public_list(world.commune_a, q="ĐÈN ĐƯỜNG")
    assert [r.pk for r in found] == [req.pk]
    assert selectors.request_public_list(world.commune_b, q="den duong") == []


def test_category_of_another_commune_is_refused(world, cats):
    with pytest.raises(ValidationError) as exc:
        ask(world, cats, category=cats["other"])
    assert "category" in exc.value.error_dict


def test_rate_limit_per_phone(world, cats, settings):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 2
    ask(world, cats, text="một")
    ask(world, cats, text="hai")
    with pytest.raises(ApplicationError) as exc:
        ask(world, cats, text="ba")
    assert exc.value.code == "rate_limited" and exc.value.status == 429
    assert "has sent 2 questions" in str(exc.value.message)
    assert Request.objects.count() == 2
    # Before a one-time code is sent, the same limit is read (without counting a hit).
    with pytest.raises(ApplicationError) as exc:
        services.request_draft_check(text="bốn", phone=world.resident_a1.phone)
    assert exc.value.code == "rate_limited"
    # Another phone number is not held back by this one.
    assert services.request_draft_check(text=" bốn ", phone="0987000111") == "bốn"


def test_a_refused_question_does_not_count_against_the_phone(world, cats, settings):
    settings.FEEDBACK_MAX_PER_PHONE_PER_DAY = 1
    with pytest.raises(ValidationError):
        ask(world, cats, category=cats["other"])  # the neighbour commune's category
    ask(world, cats, text="một")
    assert Request.objects.count() == 1


def test_hide_keeps_the_reason_in_the_audit(world, cats, asked):
    with pytest.raises(ValidationError):
        services.request_hide(actor=world.head_a1, request=asked, reason="")
    services.request_hide(actor=world.head_a1, request=asked, reason="Lời lẽ xúc phạm")
    asked.refresh_from_db()
    assert asked.hidden and asked.hidden_reason == "Lời lẽ xúc phạm"
    entry = AuditEntry.objects.get(action="feedback.request.hidden")
    assert entry.after["hidden_reason"] == "Lời lẽ xúc phạm" and entry.before["hidden"] is False
    assert Request.objects.public().count() == 0
