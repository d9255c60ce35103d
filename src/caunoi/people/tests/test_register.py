"""The head register: terms and their alerts, profiles, the allowance table, figures and Excel."""

import datetime
import io
import statistics

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from caunoi.people import selectors, services
from caunoi.people.models import (
    AllowanceRate,
    Education,
    HeadProfile,
    Mandate,
    PoliticalTheory,
    Qualification,
    Role,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
KEY = "k" * 24  # a submission key, as the form's hidden field carries it

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
    rows = {r.area.code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert [k for k, _ in rows["08119-03"].alerts] == ["term_ending"]
    assert [k for k, _ in rows["08119-04"].alerts] == ["vacant"]
    # a temporary head for more than HEAD_TEMPORARY_MAX_MONTHS (TT 14/2018: 6)
    m.term_state, m.term_end = "temporary", None
    m.save()
    rows = {r.area.code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert "temporary_long" in [k for k, _ in rows["08119-03"].alerts]
    # a vacancy older than HEAD_VACANCY_ELECTION_DAYS without a new head
    services.mandate_end(actor=None, mandate=m, end=today - datetime.timedelta(days=61))
    rows = {r.area.code: r for r in selectors.register_rows(world.commune_a, today=today)}
    assert [k for k, _ in rows["08119-03"].alerts] == ["vacant", "no_election"]


def test_profile_is_checked(world):
    m = head_mandate(world)
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
    rates = selectors.allowance_rate_list(province_id=world.province.pk)
    rate = selectors.allowance_rate_for(m, area=world.area_a1, rates=rates)
    assert rate.amount == 1_500_000
    old = selectors.allowance_rate_for(
        m, area=world.area_a1, rates=rates, today=datetime.date(2022, 6, 1)
    )
    assert old.amount == 340_000
    assert AllowanceRate.objects.count() == 2


def test_register_page_access_and_rules(world, client_for):
    for person, status in [
        (world.officer_a, 200),
        (world.province_officer, 200),
        (world.district_officer, 200),
        (world.head_a1, 403),
        (world.resident_a1, 403),
        (world.officer_b, 404),
    ]:
        assert client_for(person).get("/xa/08119/truong-khu/").status_code == status, person
    assert client_for(world.officer_a).get("/huyen/230/truong-khu/").status_code == 403
    html = client_for(world.officer_a).get("/xa/08119/truong-khu/").content.decode()
    assert "Length of a head&#x27;s term (months): <strong>60</strong>" in html
    assert "TT 04/2012 Điều 12 khoản 2" in html
    assert "Days within which a vacant post must be filled by election" in html


def test_register_excel_has_real_cells(world, client_for):
    services.head_profile_save(
        actor=world.officer_a,
        mandate=head_mandate(world),
        profile=PROFILE,
        term=TERM,
        phone_public=False,
    )
    c = client_for(world.province_officer)
    r = c.get("/tinh/25/truong-khu/")
    stats = r.context["stats"]
    assert (stats.heads, stats.areas, stats.party, stats.aged_60) == (2, 3, 1.0, 1.0)
    r = c.get("/tinh/25/truong-khu.xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"].startswith('attachment; filename="truong-khu-25.xlsx"')
    assert client_for(world.officer_b).get("/xa/08119/truong-khu.xlsx").status_code == 404
    assert client_for(world.resident_a1).get("/xa/08119/truong-khu.xlsx").status_code == 403
    wb = load_workbook(io.BytesIO(r.content))
    figures, heads = wb.worksheets
    values = {row[0]: row[1] for row in figures.iter_rows(values_only=True) if row and row[0]}
    assert values["As of"] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert figures["B2"].number_format.upper() == "DD/MM/YYYY"
    assert values["Party members (%)"] == 100
    assert values["Heads in post"] == 2
    rows = list(heads.iter_rows(values_only=True))
    assert len(rows) == 4  # header + three areas
    assert heads.freeze_panes == "A2"
    assert heads.column_dimensions["E"].width == 24
    khu3 = next(r for r in rows if r[2] == "Khu 3")
    # The GSO codes to join on, as text (a commune code keeps its leading zero).
    assert rows[0][:4] == ("Commune", "Commune code", "Residential area", "Area code")
    assert khu3[:4] == ("Xã Đồng Xuân", "08119", "Khu 3", "08119-03")
    assert khu3[4] == "Hoàng Văn Sơn" and khu3[5] == 1958
    assert heads["F2"].number_format == "0"  # a year, not 1.958
    since = heads.cell(rows.index(khu3) + 1, 13)
    assert (
        since.value == datetime.datetime(2021, 7, 1) and since.number_format.upper() == "DD/MM/YYYY"
    )
    assert isinstance(khu3[13], datetime.datetime)  # the end of term, a date too


def test_percentages_round_half_up_like_the_page():
    from caunoi.core.templatetags.caunoi import pct
    from caunoi.people.exports import _percent

    for share in (0.61875, 0.0005, 2 / 3, 1.0):
        assert f"{_percent(share)}".replace(".", ",") + "%" == pct(share)


def test_profile_page_edit(world, client_for):
    m = head_mandate(world)
    url = f"/khu/08119-03/truong-khu/{m.pk}/"
    assert client_for(world.head_a1).get(url).status_code == 403
    assert client_for(world.district_officer).get(url).status_code == 403
    assert client_for(world.province_officer).get(url).status_code == 403  # may not appoint heads
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.officer_b).post(url, {"what": "profile"}).status_code == 404
    elsewhere = f"/khu/08119-04/truong-khu/{m.pk}/"  # the head of Khu 3 is not Khu 4's
    assert client_for(world.officer_a).get(elsewhere).status_code == 404
    assert not HeadProfile.objects.exists()
    c = client_for(world.officer_a)
    page = c.get(url)
    assert page.status_code == 200
    assert "Youngest age of a head: <strong>21</strong>" in page.content.decode()
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
    assert r.status_code == 302 and r.url == "/xa/08119/truong-khu/"
    assert HeadProfile.objects.get(person=world.head_a1).birth_year == 1962
    course = {
        "what": "training",
        "course": "Bồi dưỡng trưởng khu",
        "provider": "Trường Chính trị tỉnh Phú Thọ",
        "start": "01/03/2022",
        "submission": KEY,
    }
    first = c.post(url, course)
    again = c.post(url, course)  # a double click: the same key lands where the first did
    assert first.status_code == again.status_code == 302 and again.url == first.url
    assert world.head_a1.trainings.count() == 1


def test_allowances_page_access_and_one_rate_per_submission(world, client_for):
    url = "/tinh/25/phu-cap/"
    assert client_for(world.officer_a).get(url).status_code == 403
    assert client_for(world.district_officer).get(url).status_code == 403
    assert client_for(world.province_officer).get("/tinh/99/phu-cap/").status_code == 404
    c = client_for(world.province_officer)
    page = c.get(url)
    assert page.status_code == 200
    assert "Households from which an area counts as large (allowances)" in page.content.decode()
    rate = {
        "effective_from": "01/01/2024",
        "area_category": "other",
        "post": "head",
        "amount": "1.500.000",
        "basis": "Nghị quyết 17/2023/NQ-HĐND",
        "submission": KEY,
    }
    assert c.post(url, {**rate, "amount": "0"}).status_code == 200
    first = c.post(url, rate)
    again = c.post(url, rate)
    assert first.status_code == again.status_code == 302
    assert AllowanceRate.objects.get().amount == 1_500_000
    refused = c.post(url, {**rate, "submission": "m" * 24})
    assert "already in the table" in refused.content.decode()
    assert AllowanceRate.objects.count() == 1


def test_register_queries_do_not_grow_with_areas(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caunoi.testing import add_area, give, make_person

    c = client_for(world.province_officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/xa/08119/truong-khu/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5, 9):
        area = add_area(world.commune_a, i)
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
    rows = selectors.register_rows(world.province)
    assert selectors.register_figures(world.province, rows=rows).profiles >= 1
    assert AllowanceRate.objects.count() == 6


# --- The figures: a roll-up over the ground's areas, the same at every level and in both shapes --


def figures_from_rows(rows, today):
    """The review's figures counted over the register's rows in Python, as before the roll-up."""
    heads = [r.head for r in rows if r.head is not None]
    known = [r.profile for r in rows if r.profile is not None]
    ages = [today.year - p.birth_year for p in known if p.birth_year]

    def share(pred, items):
        return sum(1 for x in items if pred(x)) / len(items) if items else None

    def distribution(attr, choices):
        counts = {value: 0 for value, _label in choices} | {"": 0}
        for p in known:
            counts[getattr(p, attr) or ""] += 1
        return [(label, counts[value]) for value, label in choices] + [("Not recorded", counts[""])]

    return {
        "areas": len(rows),
        "heads": len(heads),
        "vacant": len(rows) - len(heads),
        "profiles": len(known),
        "aged_60": share(lambda a: a >= 60, ages),
        "party": share(lambda p: p.party_member, known),
        "concurrent": share(lambda p: p.concurrent, known),
        "women": share(lambda p: p.sex == "f", [p for p in known if p.sex]),
        "median_age": statistics.median(ages) if ages else None,
        "median_years": statistics.median([(today - m.start).days / 365.25 for m in heads])
        if heads
        else None,
        "education": distribution("education", Education.choices),
        "qualification": distribution("qualification", Qualification.choices),
        "theory": distribution("political_theory", PoliticalTheory.choices),
    }


def as_dict(figures):
    out = {name: getattr(figures, name) for name in figures_from_rows([], datetime.date.today())}
    for name in ("education", "qualification", "theory"):
        out[name] = [(str(label), n) for label, n in out[name]]
    return out


@pytest.fixture
def two_shapes(world):
    """The 2022 world (province, district, communes) with heads, profiles, a deputy and an ended
    head; and a two-level province (communes directly under it) with its own heads."""
    from caunoi.territory.models import AreaType, Kind
    from caunoi.testing import give, make_person
    from caunoi.testing import make_unit as unit

    province = unit(Kind.PROVINCE, "26", "Tỉnh Vĩnh Phúc")
    ward = unit(Kind.WARD, "09001", "Phường Xuân Hòa", province)
    commune = unit(Kind.COMMUNE, "09002", "Xã Ngọc Thanh", province)
    areas = [
        unit(Kind.AREA, "09001-01", "Tổ 1", ward, area_type=AreaType.TO_DAN_PHO),
        unit(Kind.AREA, "09001-02", "Tổ 2", ward, area_type=AreaType.TO_DAN_PHO),
        unit(Kind.AREA, "09002-01", "Thôn Đồng Câu", commune, area_type=AreaType.THON),
    ]
    profiles = [
        {**PROFILE, "birth_year": 1975, "sex": "f", "party_member": False,
         "party_cell_secretary": False, "other_posts": "Chi hội trưởng", "education": "lower",
         "qualification": "", "political_theory": ""},
        {**PROFILE, "birth_year": None, "sex": "", "party_cell_secretary": False,
         "front_head": True, "education": "", "qualification": "college",
         "political_theory": "trung_cap"},
    ]  # fmt: skip
    heads = [head_mandate(world)]
    for i, area in enumerate((areas[0], areas[2], world.area_b1)):
        person = make_person(f"Trưởng {area.code}", phone=f"09130002{i:02d}", password=None)
        heads.append(
            Mandate.objects.create(
                person=person, role=Role.HEAD, unit=area, start=datetime.date(2019 + i, 3, 1)
            )
        )
    Mandate.objects.filter(person=world.head_b1, role=Role.HEAD).update(
        end=datetime.date(2019 + 2, 3, 1), start=datetime.date(2016, 1, 1)
    )  # Khu 1's former head, before the one above
    give(
        make_person("Phó khu 3", phone="0913000399", password=None), Role.DEPUTY_HEAD, world.area_a1
    )
    for mandate, profile in zip(heads, [PROFILE, *profiles], strict=False):
        services.head_profile_save(
            actor=None, mandate=mandate, profile=profile, term=TERM, phone_public=False
        )
    world.province26, world.ward26 = province, ward
    return world


@pytest.mark.parametrize(
    "where", ["commune_a", "commune_b", "district", "province", "province26", "ward26"]
)
def test_figures_are_the_rows_counted_at_every_level_and_shape(two_shapes, where):
    today = timezone.localdate()
    unit = getattr(two_shapes, where)
    rows = selectors.register_rows(unit, today=today)
    figures = selectors.register_figures(unit, rows=rows, today=today)
    expected = figures_from_rows(rows, today)
    assert as_dict(figures) == expected
    assert figures.areas == len(rows) > 0


def test_figures_of_a_two_level_province(two_shapes):
    province = two_shapes.province26
    rows = selectors.register_rows(province)
    figures = selectors.register_figures(province, rows=rows)
    assert (figures.areas, figures.heads, figures.vacant, figures.profiles) == (3, 2, 1, 2)
    assert (figures.women, figures.party, figures.concurrent) == (1.0, 0.5, 1.0)
    assert figures.aged_60 == 0.0  # one head born in 1975, the other's year not recorded
    assert figures.median_age == timezone.localdate().year - 1975
    assert dict(figures.theory)["Intermediate (trung cấp)"] == 1


def test_register_pages_and_api_read_a_fixed_number_of_queries(
    two_shapes, client_for, django_assert_num_queries
):
    """The rows (areas with their last head's end, the heads and deputies), the figures (one
    rolled-up query), whatever the ground; the commune's page adds the allowance table."""
    from caunoi.accounts.services import api_token_create

    c = client_for(two_shapes.province_officer)
    for url, n in [("/tinh/25/truong-khu/", 7), ("/huyen/230/truong-khu/", 8),
                   ("/xa/08119/truong-khu/", 9)]:  # fmt: skip
        c.get(url)
        with django_assert_num_queries(n):
            assert c.get(url).status_code == 200
    _token, raw = api_token_create(actor=None, person=two_shapes.province_officer, name="t")
    c.get("/api/v1/heads/province/25/figures", HTTP_AUTHORIZATION=f"Bearer {raw}")
    with django_assert_num_queries(6):
        c.get("/api/v1/heads/province/25/figures", HTTP_AUTHORIZATION=f"Bearer {raw}")
