"""Issue 12, item 6: a notification stores what happened (its kind and the request), not a
sentence in the writer's language: the resident reads it in their own."""

import pytest
from django.utils import translation

from caunoi.feedback import services
from caunoi.feedback.models import Notification
from caunoi.feedback.tests.conftest import ask


def test_an_answer_written_in_english_is_announced_in_vietnamese(world, cats, client_for):
    asked = ask(world, cats)
    with translation.override("en"):  # the head's page was in English
        services.request_answer(actor=world.head_a1, request=asked, answer="Sẽ sửa trong tuần.")
    note = Notification.objects.get(person=world.resident_a1)
    assert note.kind == Notification.Kind.ANSWERED and note.params == {"request": asked.pk}
    resident = client_for(world.resident_a1)
    resident.cookies["caunoi_language"] = "vi"  # the resident reads Vietnamese
    with translation.override("vi"):
        home = resident.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert f"Câu hỏi số {asked.pk} của bạn đã có câu trả lời" in home
        assert "has an answer" not in home
        assert str(note) == note.message
    with translation.override("en"):
        assert note.message == f"Your question #{asked.pk} has an answer. Has it been resolved?"


@pytest.mark.django_db
def test_a_notification_of_an_unknown_kind_still_shows(world, cats):
    asked = ask(world, cats)
    note = Notification.objects.create(
        person=world.resident_a1, request=asked, kind="gone", params={"x": [1]}
    )
    with translation.override("vi"):
        assert f"số {asked.pk}" in note.message
