"""List pages cost the same number of queries whatever their length; the commune sees reach per
area per notice and the province the same rolled up per commune."""

import pytest
from django.urls import reverse

from caunoi.outreach import services
from caunoi.territory.services import household_create

from .factories import publish


def more_households(world, n, start=10):
    for i in range(start, start + n):
        household_create(
            actor=None,
            area=world.area_a1,
            code=f"08119-03-{i:03}",
            address=f"Số {i}",
            representative_name=f"Hộ {i}",
            representative_phone=f"0912100{i:03}",
            members=1,
        )
    world.area_a1.refresh_from_db()


def queries(client, url, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "page",
    ["reach", "area", "mine", "ground_commune", "ground_province", "notice", "area_public"],
)
def test_constant_queries(outreach, client_for, django_assert_max_num_queries, page):
    def url(notice):
        return {
            "reach": reverse("outreach:reach", args=[notice.pk]),
            "area": reverse("outreach:area", args=[outreach.area_a1.code]),
            "mine": reverse("outreach:mine"),
            "ground_commune": reverse("outreach:ground", args=["xa", "08119"]),
            "ground_province": reverse("outreach:ground", args=["tinh", "25"]),
            "notice": notice.get_absolute_url(),
            "area_public": f"/khu/{outreach.area_a1.code}/",
        }[page]

    who = {
        "mine": outreach.resident_a1,
        "notice": outreach.resident_a1,
        "ground_province": outreach.province_officer,
    }.get(page, outreach.officer_a)
    client = client_for(who)
    notice = publish(outreach)
    small = queries(client, url(notice), django_assert_max_num_queries, 60)
    more_households(outreach, 12)
    for _ in range(4):
        notice = publish(outreach, actor=outreach.officer_a, unit=outreach.commune_a,
                         areas=[outreach.area_a1, outreach.area_a2])  # fmt: skip
    big = queries(client, url(notice), django_assert_max_num_queries, 60)
    assert big == small, f"{page}: {small} queries with 1 notice, {big} with 5"


def test_commune_per_area_and_province_rolled_up(outreach, client_for):
    notice = publish(
        outreach, actor=outreach.officer_a, unit=outreach.commune_a,
        areas=[outreach.area_a1, outreach.area_a2],
    )  # fmt: skip
    household_b = outreach.household_b1
    notice_b = publish(outreach, actor=outreach.head_b1, unit=outreach.area_b1)
    services.acknowledgement_record(
        notice=notice, household=outreach.household_a1, how="web", by=outreach.resident_a1
    )
    services.acknowledgement_record(
        notice=notice_b, household=household_b, how="visit", by=outreach.head_b1
    )
    commune = client_for(outreach.officer_a).get(reverse("outreach:ground", args=["xa", "08119"]))
    rows = commune.context["rows"]
    assert [r["pk"] for r in rows] == [notice.pk]  # not the neighbour's notice
    parts = {p["code"]: (p["acknowledged"], p["households"]) for p in rows[0]["parts"]}
    assert parts == {"08119-03": (1, 3), "08119-04": (0, 0)}
    province = client_for(outreach.province_officer).get(
        reverse("outreach:ground", args=["tinh", "25"])
    )
    rows = {r["pk"]: r for r in province.context["rows"]}
    assert set(rows) == {notice.pk, notice_b.pk}
    assert [(p["code"], p["acknowledged"], p["households"]) for p in rows[notice.pk]["parts"]] == [
        ("08119", 1, 3)
    ]
    assert rows[notice_b.pk]["share"] == 1.0
    officer_b = client_for(outreach.officer_b).get(reverse("outreach:ground", args=["xa", "08119"]))
    assert officer_b.status_code == 404
