import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caunoi.directives import services as directive_services
from caunoi.directives.models import Assignment
from caunoi.reports import scorecards
from caunoi.reports.models import EmulationRules
from caunoi.reports.tests.helpers import send_task
from caunoi.testing import get_as

pytestmark = pytest.mark.django_db


def test_score_arithmetic_by_hand():
    rules = scorecards.EXAMPLE
    # 30 × min(1, 0.45/0.9) = 15; 20 × 0.8/0.8 = 20; survey left out (None); 10 × 0.5 = 5
    criteria = [
        scorecards.Criterion("a", "a", 30, 0.9, 0.45, scorecards.points(30, 0.9, 0.45)),
        scorecards.Criterion("b", "b", 20, 0.8, 0.9, scorecards.points(20, 0.8, 0.9)),
        scorecards.Criterion("c", "c", 20, 0.6, None, scorecards.points(20, 0.6, None)),
        scorecards.Criterion("d", "d", 10, 1.0, 0.5, scorecards.points(10, 1.0, 0.5)),
    ]
    assert [c.points for c in criteria] == [15.0, 20.0, None, 5.0]
    assert scorecards.score(criteria) == round(40 * 100 / 60, 1) == 66.7  # over 60 points
    assert scorecards.grade(66.7, rules) == "fair"
    assert scorecards.grade(49.9, rules) == "support"
    assert scorecards.grade(90, rules) == "excellent"
    assert scorecards.score([criteria[2]]) is None
    assert scorecards.grade(None, rules) == "none"


def _send(world, *, due_in, reason=""):
    return send_task(world, [world.area_a1], due_in=due_in, reason=reason)


def test_rushed_tasks_never_count_against_the_head(world):
    fair = _send(world, due_in=30)
    rushed = _send(world, due_in=1, reason="khẩn")
    assert rushed.below_min_lead and not fair.below_min_lead
    a = Assignment.objects.get(directive=fair)
    directive_services.assignment_complete(actor=world.head_a1, assignment=a, note="Xong")
    card = scorecards.scorecard(
        world.area_a1, year=timezone.localdate().year, province=world.province
    )
    task = {c.key: c for c in card.criteria}["directives.done:fair_on_time_rate"]
    assert task.value == 1.0 and task.points == 30  # the rushed one, still open, is apart
    assert card.rushed == 1
    assert card.commune_rushed_share == 0.5
    survey = {c.key: c for c in card.criteria}[scorecards.SURVEY]
    assert survey.value is None and survey.points is None  # no survey: left out, not zero
    assert card.score == 100.0 and card.grade == "excellent"
    assert card.rules.is_example


def test_head_sees_own_card_only(world, client):
    year = timezone.localdate().year
    own = reverse("reports:scorecard", args=[world.area_a1.code])
    client.force_login(world.head_a1)
    page = client.get(own, {"nam": year})
    assert page.status_code == 200
    assert "Cách tính" in page.content.decode()
    assert client.get(reverse("reports:scorecard", args=[world.area_a2.code])).status_code == 404
    got = get_as(client, own, world, "officer_b", "resident_a1", "officer_a")
    assert got == {"officer_b": 404, "resident_a1": 403, "officer_a": 200}


def test_province_enters_versioned_rules(world, client):
    url = reverse("reports:rules", args=[world.province.code]) + "?nam=2022"
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403
    client.force_login(world.province_officer)
    page = client.get(url)
    assert "Ví dụ" in page.content.decode()
    data = {
        "weight_0": 40,
        "target_0": 90,
        "weight_1": 20,
        "target_1": 80,
        "weight_2": 20,
        "target_2": 90,
        "weight_3": 0,
        "target_3": 100,
        "weight_4": 0,  # regular meetings
        "target_4": 100,
        "weight_5": 10,  # the survey
        "target_5": 60,
        "excellent": 90,
        "good": 75,
        "floor": 50,
        "basis": "Quyết định số 12/2022/QĐ-UBND",
    }
    bad = client.post(url, data)  # 90 points in all
    assert bad.status_code == 200 and "cộng lại bằng 100" in bad.content.decode()
    assert not EmulationRules.objects.exists()
    data["weight_5"] = 20
    assert client.post(url, data).status_code == 302
    data["floor"] = 80
    assert "tăng dần" in client.post(url, data).content.decode()
    data["floor"] = 40
    client.post(url, data)
    versions = list(EmulationRules.objects.order_by("version").values_list("version", "floor"))
    assert versions == [(1, 50), (2, 40)]
    rules = scorecards.rules_for(world.province, 2022)
    assert rules.version == 2 and len(rules.criteria) == 4  # weight 0 leaves one out
    assert rules.criteria[0] == {
        "key": "directives.done:fair_on_time_rate",
        "weight": 40,
        "target": 0.9,
    }


def test_needs_support_two_years_running_never_public(world, client):
    from caunoi.reports import services

    year = timezone.localdate().year
    for y in (year - 1, year):
        services.rules_save(
            actor=world.province_officer,
            province=world.province,
            year=y,
            criteria=[{"key": "directives.done:fair_on_time_rate", "weight": 100, "target": 0.9}],
            excellent=90,
            good=75,
            floor=50,
            basis="Quyết định số 1/QĐ-UBND",
        )
    from caunoi.directives.models import Directive
    from caunoi.reports.scorecards import needs_support

    assert needs_support(world.commune_a, year=year) == []  # nothing to measure is not a zero
    now, before = _send(world, due_in=30), _send(world, due_in=30)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Directive.objects.filter(pk=now.pk).update(due_date=yesterday)  # overdue, left undone
    last_year = timezone.now().replace(year=year - 1, month=6, day=1)
    Directive.objects.filter(pk=before.pk).update(
        sent_at=last_year, due_date=last_year.date() + datetime.timedelta(days=30)
    )
    lines = needs_support(world.commune_a, year=year)
    assert [(line.area, line.head) for line in lines] == [(world.area_a1, world.head_a1)]
    assert [card.score for card in lines[0].cards] == [0.0, 0.0]
    assert needs_support(world.commune_a, year=year - 1) == []  # one year only, then
    url = reverse("reports:support", args=[world.commune_a.code])
    got = get_as(client, url, world, "officer_a", "officer_b", "head_a1", "signed_out")
    assert got == {"officer_a": 200, "officer_b": 404, "head_a1": 403, "signed_out": 302}
