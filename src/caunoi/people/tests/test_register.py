"""The head register: terms and their alerts, profiles, the allowance table, figures and Excel."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from caunoi.people import selectors, services
from caunoi.people.models import AllowanceRate, HeadProfile, Mandate, Role

pytestmark = pytest.mark.django_db

PROFILE = {
    "birth_year": 1958,
    "sex": "m",
    "party_member": True,
    "party_cell_secretary": True,
    "front_head": False,
    "other_posts": "",
    "education": "upper",
    "qualification": "vocational",
    "political_theory": "so_cap",
}
TERM = {"term_state": "elected", "term_end": None, "extension_number": "", "extension_date": None}


def head_mandate(world):
    return Mandate.objects.get(person=world.head_a1, role=Role.HEAD)


def test_alerts_term_ending_temporary_and_vacant(world, settings):
    today = timezone.localdate()
    m = head_mandate(world)
    m.term_end = today + datetime.timedelta(days=30)
    m.save()
    rows = {r["area"].code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert [k for k, _ in rows["08119-03"]["alerts"]] == ["term_ending"]
    assert [k for k, _ in rows["08119-04"]["alerts"]] == ["vacant"]
    # a temporary head for more than HEAD_TEMPORARY_MAX_MONTHS (TT 14/2018: 6)
    m.term_state, m.term_end = "temporary", None
    m.save()
    rows = {r["area"].code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert "temporary_long" in [k for k, _ in rows["08119-03"]["alerts"]]
    # a vacancy older than HEAD_VACANCY_ELECTION_DAYS without a new head
    services.mandate_end(actor=None, mandate=m, end=today - datetime.timedelta(days=61))
    rows = {r["area"].code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert [k for k, _ in rows["08119-03"]["alerts"]] == ["vacant", "no_election"]


def test_profile_saved_by_the_commune_only_and_checked(world):
    m = head_mandate(world)
    with pytest.raises(PermissionDenied):
        services.head_profile_save(
            actor=world.officer_b, mandate=m, profile=PROFILE, term=TERM, phone_public=True
        )
    with pytest.raises(PermissionDenied):
        services.head_profile_save(
            actor=world.head_a1, mandate=m, profile=PROFILE, term=TERM, phone_public=True
        )
    bad = [
        ({**PROFILE, "birth_year": timezone.localdate().year - 15}, TERM, "birth_year"),
        ({**PROFILE, "party_member": False}, TERM, "party_cell_secretary"),
        (PROFILE, {**TERM, "term_state": "extended"}, "extension_number"),
    ]
    for profile, term, field in bad:
        with pytest.raises(ValidationError) as exc:
            services.head_profile_save(
                actor=world.officer_a, mandate=m, profile=profile, term=term, phone_public=True
            )
        assert field in exc.value.error_dict
    assert not HeadProfile.objects.exists()
    services.head_profile_save(
        actor=world.officer_a, mandate=m, profile=PROFILE, term=TERM, phone_public=True
    )
    p = HeadProfile.objects.get(person=world.head_a1)
    assert p.party_cell_secretary and p.concurrent and p.political_theory == "so_cap"
    world.head_a1.refresh_from_db()
    assert world.head_a1.phone_public


def test_allowance_comes_from_the_province_table(world):
    m = head_mandate(world)
    services.head_profile_save(
        actor=world.officer_a, mandate=m, profile=PROFILE, term=TERM, phone_public=False
    )
    with pytest.raises(PermissionDenied):
        services.allowance_rate_add(
            actor=world.officer_a,
            province=world.province,
            effective_from=datetime.date(2024, 1, 1),
            area_category="other",
            post="head",
            concurrent=True,
            amount=1_500_000,
            basis="17/2023",
        )
    with pytest.raises(ValidationError):
        services.allowance_rate_add(
            actor=world.province_officer,
            province=world.province,
            effective_from=datetime.date(2024, 1, 1),
            area_category="other",
            post="head",
            concurrent=True,
            amount=0,
            basis="",
        )
    for day, amount in [
        (datetime.date(2020, 1, 1), 340_000),
        (datetime.date(2024, 1, 1), 1_500_000),
    ]:
        services.allowance_rate_add(
            actor=world.province_officer,
            province=world.province,
            effective_from=day,
            area_category="other",
            post="head",
            concurrent=True,
            amount=amount,
            basis="Nghị quyết 17/2023/NQ-HĐND",
        )
    m = Mandate.objects.select_related("person__head_profile").get(pk=m.pk)
    rate = selectors.allowance_for(m, province=world.province, area=world.area_a1)
    assert rate.amount == 1_500_000
    old = selectors.allowance_for(
        m, province=world.province, area=world.area_a1, today=datetime.date(2022, 6, 1)
    )
    assert old.amount == 340_000
    assert AllowanceRate.objects.count() == 2


def test_register_page_access_and_excel_export(world, client_for):
    services.head_profile_save(
        actor=world.officer_a,
        mandate=head_mandate(world),
        profile=PROFILE,
        term=TERM,
        phone_public=False,
    )
    for person, status in [
        (world.officer_a, 200),
        (world.province_officer, 200),
        (world.district_officer, 200),
        (world.head_a1, 403),
        (world.officer_b, 404),
    ]:
        assert client_for(person).get("/xa/08119/truong-khu/").status_code == status, person
    c = client_for(world.province_officer)
    r = c.get("/tinh/25/truong-khu/")
    stats = r.context["stats"]
    assert (stats["heads"], stats["areas"], stats["party"], stats["aged_60"]) == (2, 3, 1.0, 1.0)
    r = c.get("/tinh/25/truong-khu.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    figures, heads = wb.worksheets
    values = {row[0]: row[1] for row in figures.iter_rows(values_only=True) if row and row[0]}
    assert any(v == 100.0 for v in values.values())  # party members 100%
    rows = list(heads.iter_rows(values_only=True))
    assert len(rows) == 4  # header + three areas
    khu3 = next(r for r in rows if r[1] == "Khu 3")
    assert khu3[2] == "Hoàng Văn Sơn" and khu3[3] == 1958


def test_profile_page_edit(world, client_for):
    m = head_mandate(world)
    url = f"/khu/08119-03/truong-khu/{m.pk}/"
    assert client_for(world.head_a1).get(url).status_code == 403
    assert client_for(world.officer_b).get(url).status_code == 404
    c = client_for(world.officer_a)
    r = c.post(url, {"what": "profile", "birth_year": "năm", "sex": "m"})
    assert r.status_code == 200 and "birth_year" in r.context["form"].errors
    r = c.post(
        url,
        {
            "what": "profile",
            "birth_year": "1962",
            "sex": "f",
            "party_member": "on",
            "political_theory": "trung_cap",
            "term_state": "elected",
        },
    )
    assert r.status_code == 302
    assert HeadProfile.objects.get(person=world.head_a1).birth_year == 1962
    r = c.post(
        url,
        {
            "what": "training",
            "course": "Bồi dưỡng trưởng khu",
            "provider": "Trường Chính trị tỉnh Phú Thọ",
            "start": "01/03/2022",
        },
    )
    assert r.status_code == 302 and world.head_a1.trainings.count() == 1


def test_register_queries_do_not_grow_with_areas(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caunoi.territory.models import AreaType, Kind
    from caunoi.territory.services import unit_create
    from caunoi.testing import give, make_person

    c = client_for(world.province_officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/xa/08119/truong-khu/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5, 9):
        area = unit_create(
            actor=None,
            kind=Kind.AREA,
            code=f"08119-{i:02d}",
            name=f"Khu {i}",
            short_name=f"Khu {i}",
            parent=world.commune_a,
            area_type=AreaType.KHU,
        )
        give(make_person(f"Trưởng {i}", phone=f"09130001{i:02d}", password=None), Role.HEAD, area)
    assert count() == before


def test_demo_register(world):
    from caunoi.people import demo

    demo.build(seed=3)
    assert (
        HeadProfile.objects.count()
        + Mandate.objects.filter(role=Role.HEAD, end__isnull=False).count()
        >= 2
    )
    stats = selectors.register_stats(selectors.register_rows(world.province))
    assert stats["profiles"] >= 1 and AllowanceRate.objects.count() == 6
