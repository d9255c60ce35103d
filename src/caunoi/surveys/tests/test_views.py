import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from caunoi.core.codes import format_code
from caunoi.surveys import services, xlsform
from caunoi.surveys.models import Ballot, Channel, Form, Response
from caunoi.surveys.tests.test_surveys import FULL_FORM

TODAY = datetime.date.today()
pytestmark = pytest.mark.usefixtures("english")


def _fill(world, campaign, a1=6, a2=2, b1=6):
    rows = [(world.area_a1, {"danh_gia": "rat_tot"})] * a1
    rows += [(world.area_a2, {"danh_gia": "hieu_qua"})] * a2
    rows += [(world.area_b1, {"danh_gia": "hieu_qua"})] * b1
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)


def _url(campaign, unit):
    return reverse("surveys:results", args=[campaign.pk, unit.url_prefix, unit.code])


def test_province_results_page_shows_shares_and_intervals(world, campaign, client_for):
    _fill(world, campaign)
    page = client_for(world.province_officer).get(_url(campaign, world.province))
    html = page.content.decode()
    assert page.status_code == 200
    assert "6" in html and "42,9%" in html  # 6 of 14 very good
    assert "<svg" in html and 'role="img"' in html


def test_province_results_page_has_constant_queries(
    world, campaign, client_for, django_assert_max_num_queries
):
    _fill(world, campaign)
    client = client_for(world.province_officer)
    client.get(_url(campaign, world.province))
    with django_assert_max_num_queries(14):
        client.get(_url(campaign, world.province))
    _fill(world, campaign, 30, 30, 30)
    with django_assert_max_num_queries(14):
        client.get(_url(campaign, world.district))


def test_access_to_results(world, campaign, client_for):
    _fill(world, campaign)
    # a commune officer sees their commune, not the neighbour (404) nor the province (403)
    c = client_for(world.officer_a)
    assert c.get(_url(campaign, world.commune_a)).status_code == 200
    assert c.get(_url(campaign, world.commune_b)).status_code == 404
    assert c.get(_url(campaign, world.province)).status_code == 403
    assert c.get(reverse("surveys:campaign", args=[campaign.pk])).url == _url(
        campaign, world.commune_a
    )


def test_head_sees_own_area_only_from_five_responses(world, campaign, client_for):
    _fill(world, campaign, a1=4)
    c = client_for(world.head_a1)
    page = c.get(_url(campaign, world.area_a1))
    assert page.status_code == 200
    assert "Not enough responses" in page.content.decode()
    assert "rat_tot" not in page.content.decode()
    services.responses_bulk(
        campaign=campaign, rows=[(world.area_a1, {"danh_gia": "rat_tot"})], channel=Channel.IMPORT
    )
    page = c.get(_url(campaign, world.area_a1))
    assert "Not enough responses" not in page.content.decode() and "100,0%" in page.content.decode()
    assert c.get(_url(campaign, world.area_a2)).status_code == 404
    assert c.get(_url(campaign, world.commune_a)).status_code == 403
    assert client_for(world.head_b1).get(_url(campaign, world.area_a1)).status_code == 404


def test_resident_and_stranger_see_no_results(world, campaign, client, client_for):
    # signed out (or an expired session): to sign-in and back
    url = _url(campaign, world.province)
    page = client.get(url)
    assert page.status_code == 302 and page.url == f"{reverse('accounts:signin')}?next={url}"
    # a resident stands on the ground of the campaign but may not read results: 403, not 404
    resident = client_for(world.resident_a1)
    assert resident.get(_url(campaign, world.area_a1)).status_code == 403
    assert resident.get(_url(campaign, world.province)).status_code == 403
    assert resident.get(reverse("surveys:campaign", args=[campaign.pk])).status_code == 403


def test_unknown_campaign_unit_outside_it_and_retired_units_are_404(world, campaign, client_for):
    c = client_for(world.province_officer)
    assert c.get(reverse("surveys:results", args=[campaign.pk + 1, "tinh", "25"])).status_code == (
        404
    )
    assert c.get(reverse("surveys:campaign", args=[campaign.pk + 1])).status_code == 404
    assert c.get(reverse("surveys:results", args=[campaign.pk, "xa", "99999"])).status_code == 404
    commune_campaign = services.campaign_create(
        actor=None,
        unit=world.commune_a,
        form=campaign.form,
        title="Xã A",
        start=TODAY,
        end=TODAY,
    )
    # commune B lies outside commune A's campaign, even for the province's officer
    assert c.get(_url(commune_campaign, world.commune_b)).status_code == 404
    assert c.get(_url(commune_campaign, world.commune_a)).status_code == 200
    # the neighbour commune's officer does not learn that commune A's campaign exists
    other = client_for(world.officer_b)
    assert other.get(reverse("surveys:campaign", args=[commune_campaign.pk])).status_code == 404
    assert other.get(_url(commune_campaign, world.commune_a)).status_code == 404


def test_answer_by_code_once(world, campaign, client):
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    page = client.post(reverse("surveys:answer_start"), {"code": format_code(code)})
    assert page.url == reverse("surveys:answer_code", args=[code])
    page = client.post(page.url, {"danh_gia": ""})
    assert "This question needs an answer." in page.content.decode()
    assert not Response.objects.exists()
    page = client.post(reverse("surveys:answer_code", args=[code]), {"danh_gia": "rat_tot"})
    assert page.url == reverse("surveys:answer_thanks")
    page = client.post(reverse("surveys:answer_code", args=[code]), {"danh_gia": "hieu_qua"})
    assert "already answered" in page.content.decode()
    assert Response.objects.count() == 1
    assert client.get(reverse("surveys:answer_code", args=["000000000000"])).status_code == 404
    page = client.post(reverse("surveys:answer_start"), {"code": "1234"})
    assert "not valid" in page.content.decode()


def test_signed_in_resident_answers_once(world, campaign, client_for):
    c = client_for(world.resident_a1)
    url = reverse("surveys:answer_household", args=[campaign.pk])
    assert c.post(url, {"danh_gia": "hieu_qua", "thong_bao": "co"}).url == reverse(
        "surveys:answer_thanks"
    )
    assert "already answered" in c.get(url).content.decode()
    assert Ballot.objects.count() == 1
    assert client_for(world.head_b1).get(url).status_code == 404


def test_clerk_paper_entry_and_officer_import(world, campaign, client_for):
    c = client_for(world.officer_a)
    url = reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_a.code])
    page = c.post(url, {"p-sheet": "1", "p-area": world.area_a1.code, "danh_gia": "rat_tot"})
    assert page.status_code == 302
    page = c.post(url, {"p-sheet": "2", "p-area": world.area_b1.code, "danh_gia": "rat_tot"})
    assert "No residential area" in page.content.decode()
    assert Response.objects.count() == 1
    assert (
        c.get(reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_b.code])).status_code
        == 404
    )
    paper_url = url
    url = reverse("surveys:import", args=[campaign.pk, "xa", world.commune_a.code])
    data = f"khu,danh_gia\n{world.area_a1.code},rat_tot\n{world.area_b1.code},rat_tot\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = c.post(url, {"file": SimpleUploadedFile("r.csv", data, "text/csv")})
    assert "Row 3" in page.content.decode() and Response.objects.count() == 1
    assert client_for(world.head_a1).get(paper_url).status_code == 403


def test_results_excel_reads_back(world, campaign, client_for):
    _fill(world, campaign)
    page = client_for(world.province_officer).get(
        reverse("surveys:results_xlsx", args=[campaign.pk, "tinh", world.province.code])
    )
    wb = load_workbook(io.BytesIO(page.content))
    rows = [r for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert ("Very good", 6, 42.9, 21.4, 67.4) in [tuple(r[:5]) for r in rows]
    by_unit = [tuple(r[:4]) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert (world.district.name, world.district.code, 14, 42.9) in by_unit


def test_report_prints_the_province_table(world, campaign, client_for):
    _fill(world, campaign)
    page = client_for(world.province_officer).get(
        reverse("surveys:report", args=[campaign.pk, "tinh", world.province.code])
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Very good 6 42,9%" in text and "14 100%" in text


def test_xlsform_import_and_export_pages(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world.officer_a)
    page = c.post(reverse("surveys:form_import"), {"file": SimpleUploadedFile("f.xlsx", FULL_FORM)})
    assert page.status_code == 302
    form = Form.objects.get(title="Khảo sát thử")
    exported = c.get(reverse("surveys:form_export", args=[form.pk])).content
    assert xlsform.parse_workbook(exported) == form.definition
    page = c.post(
        reverse("surveys:form_import"), {"file": SimpleUploadedFile("f.xlsx", b"PK garbage")}
    )
    assert "not an Excel" in page.content.decode()
    assert Form.objects.count() == 1
    assert client_for(world.head_a1).post(reverse("surveys:form_import")).status_code == 403


def test_campaign_creation_needs_the_ground(world, client_for):
    c = client_for(world.officer_a)
    url = reverse("surveys:campaign_new", args=["xa", world.commune_a.code])
    form = services.form_builtin()
    page = c.post(
        url,
        {
            "title": "Lấy ý kiến",
            "form": form.pk,
            "start": "01/07/2026",
            "end": "30/06/2026",
            "target": 10,
            "min_per_area": 1,
        },
    )
    assert "end on or after" in page.content.decode()
    page = c.post(
        url,
        {
            "title": "Lấy ý kiến",
            "form": form.pk,
            "start": "01/07/2026",
            "end": "31/07/2026",
            "target": 10,
            "min_per_area": 1,
        },
    )
    assert page.status_code == 302
    assert (
        c.get(reverse("surveys:campaign_new", args=["xa", world.commune_b.code])).status_code == 404
    )


def test_demo_reproduces_the_article_on_the_province_page(world, client_for):
    import random

    from caunoi.surveys import demo
    from caunoi.surveys.models import Campaign

    demo.build(province=world.province, rng=random.Random(1), log=lambda *a: None)
    campaign = Campaign.objects.get(start=datetime.date(2022, 3, 1))
    assert campaign.responses.count() == 2900
    assert set(campaign.responses.values_list("area", flat=True)) == {
        world.area_a1.pk,
        world.area_a2.pk,
        world.area_b1.pk,
    }
    page = client_for(world.province_officer).get(_url(campaign, world.province))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Very good 1.795 61,9% 60,1% – 63,6%" in text
    assert "Effective 1.093 37,7% 35,9% – 39,5%" in text
    assert "Not yet effective 12 0,4% 0,2% – 0,7%" in text
    assert "Total 2.900 100%" in text
    # the open campaign of Đồng Xuân waits for the demo resident
    assert Campaign.objects.filter(unit=world.commune_a).exists()


def test_api_results_with_access(world, campaign, client_for):
    _fill(world, campaign)
    c = client_for(world.officer_a)
    body = c.get("/api/v1/surveys/campaigns").json()
    assert [x["id"] for x in body["items"]] == [campaign.pk]
    assert body["items"][0]["unit_code"] == world.province.code
    assert (body["count"], body["limit"], body["offset"]) == (1, 100, 0)
    assert c.get("/api/v1/surveys/campaigns?limit=501").status_code == 400  # the API: 400
    url = f"/api/v1/surveys/campaigns/{campaign.pk}/results/commune/{world.commune_a.code}"
    body = c.get(url).json()
    assert body["responses"] == 8
    very_good = body["questions"][0]["choices"][0]
    assert very_good["count"] == 6 and round(very_good["share"], 2) == 0.75
    assert very_good["ci_low"] < 0.75 < very_good["ci_high"]
    suppressed = {ch["code"]: ch["suppressed"] for ch in body["children"]}
    assert suppressed == {world.area_a1.code: False, world.area_a2.code: True}
    other = f"/api/v1/surveys/campaigns/{campaign.pk}/results/commune/{world.commune_b.code}"
    assert c.get(other).status_code == 404
    assert c.get(other).json()["code"]
    assert client_for(world.head_b1).get(url).status_code == 404
    assert client_for(world.head_a1).get(url).status_code == 403  # their commune, not their area
    assert client_for(world.resident_a1).get("/api/v1/surveys/campaigns").json()["count"] == 0


def test_national_campaign(world, client_for):
    from caunoi.people.models import Person

    national = services.campaign_create(
        actor=None,
        unit=None,
        form=services.form_builtin(),
        title="Toàn quốc 2026",
        start=TODAY,
        end=TODAY,
        target=100,
    )
    _fill(world, national)
    admin = Person.objects.create_superuser("root", "pw-pw-pw-pw", full_name="Quản trị")
    c = client_for(admin)
    assert c.get(reverse("surveys:campaign", args=[national.pk])).url == reverse(
        "surveys:results_national", args=[national.pk]
    )
    page = c.get(reverse("surveys:results_national", args=[national.pk]))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "The whole country" in text and "Phú Thọ 14 42,9%" in text
    c = client_for(world.province_officer)
    assert c.get(reverse("surveys:campaign", args=[national.pk])).url == _url(
        national, world.province
    )
    assert c.get(reverse("surveys:results_national", args=[national.pk])).status_code == 403
    c = client_for(world.officer_b)
    assert c.get(_url(national, world.commune_b)).status_code == 200
    assert c.get(_url(national, world.commune_a)).status_code == 404


def _home_section(user) -> str:
    """What the home page's "home" slot shows (core/home.html renders `{% sections "home" %}`)."""
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return Template('{% load caunoi %}{% sections "home" %}').render(Context({"request": request}))


def test_home_lists_the_survey_to_answer_then_forgets_it(world, campaign, client_for):
    answer = reverse("surveys:answer_household", args=[campaign.pk])
    assert answer in _home_section(world.resident_a1)
    client_for(world.resident_a1).post(answer, {"danh_gia": "rat_tot"})
    assert answer not in _home_section(world.resident_a1)
    assert reverse("surveys:campaign", args=[campaign.pk]) in _home_section(world.officer_a)
    assert campaign.title in _home_section(world.officer_b)  # the province's, above commune B
    from django.contrib.auth.models import AnonymousUser

    assert _home_section(AnonymousUser()) == ""


def test_response_export_keeps_free_text_only_when_named(world, campaign, client_for):
    survey = services.form_import(actor=None, data=FULL_FORM)
    anonymous = services.campaign_create(
        actor=None, unit=world.province, form=survey, title="Ẩn danh", start=TODAY, end=TODAY
    )
    named = services.campaign_create(
        actor=None,
        unit=world.province,
        form=survey,
        title="Có tên",
        start=TODAY,
        end=TODAY,
        named=True,
    )
    answers = {"danh_gia": "chua_hieu_qua", "ly_do": "Ông Sơn ở số 5 không họp", "kenh": ["loa"]}
    for c in (anonymous, named):
        services.responses_bulk(campaign=c, rows=[(world.area_a1, answers)], channel="paper")
    client = client_for(world.officer_a)

    def rows(c):
        url = reverse("surveys:responses_xlsx", args=[c.pk, "xa", world.commune_a.code])
        page = client.get(url)
        assert page.status_code == 200
        return list(load_workbook(io.BytesIO(page.content)).active.iter_rows(values_only=True))

    header, row = rows(anonymous)
    assert "ly_do" not in header and "Ông Sơn ở số 5 không họp" not in row
    assert row[:2] == (world.area_a1.code, "paper") and "loa" in row
    header, row = rows(named)
    assert "ly_do" in header and "Ông Sơn ở số 5 không họp" in row
    url = reverse("surveys:responses_xlsx", args=[anonymous.pk, "khu", world.area_a1.code])
    assert client_for(world.head_a1).get(url).status_code == 403


def test_double_click_on_send_records_once_and_thanks_twice(world, campaign, client):
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    url = reverse("surveys:answer_code", args=[code])
    key = re.search(r'name="submission" value="([^"]+)"', client.get(url).content.decode())[1]
    data = {"danh_gia": "rat_tot", "submission": key}
    assert client.post(url, data).url == reverse("surveys:answer_thanks")
    assert client.post(url, data).url == reverse("surveys:answer_thanks")
    assert Response.objects.count() == 1
    page = client.post(url, {**data, "submission": "another-key-0123456789"})
    assert "already answered" in page.content.decode() and Response.objects.count() == 1


def test_campaign_list_has_constant_queries(world, campaign, client_for, django_assert_num_queries):
    c = client_for(world.officer_a)
    c.get(reverse("surveys:campaigns"))
    with django_assert_num_queries(5) as first:
        page = c.get(reverse("surveys:campaigns"))
    assert campaign.title in page.content.decode()
    for i in range(5):
        services.campaign_create(
            actor=None,
            unit=world.commune_a,
            form=campaign.form,
            title=f"Xã {i}",
            start=TODAY,
            end=TODAY,
        )
    with django_assert_num_queries(len(first.captured_queries)):
        page = c.get(reverse("surveys:campaigns"))
    assert "Xã 4" in page.content.decode()


def test_double_entry_lists_the_sheets_to_check(world, campaign, client_for):
    campaign.double_entry = True
    campaign.save()
    c = client_for(world.officer_a)
    url = reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_a.code])
    c.post(url, {"p-sheet": "11", "p-area": world.area_a1.code, "danh_gia": "rat_tot"})
    c.post(url, {"p-sheet": "11", "p-area": world.area_a1.code, "danh_gia": "hieu_qua"})
    c.post(url, {"p-sheet": "12", "p-area": world.area_a2.code, "danh_gia": "hieu_qua"})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c.get(url).content.decode()))
    assert "Sheet 11 · Khu 3 · The two entries differ" in text
    assert "Sheet 12 · Khu 4 · Waiting for the second entry" in text
    assert not Response.objects.exists()


# ------------------------------------------------------------------------- access, page by page


def test_each_scoped_page_right_person_neighbour_404_resident_403(world, campaign, client_for):
    """The commune's officer can; commune B's officer gets 404; the resident (on the ground of
    the campaign's area, without the permission) gets 403."""
    a = world.commune_a.code
    pages = [
        reverse("surveys:results", args=[campaign.pk, "xa", a]),
        reverse("surveys:results_xlsx", args=[campaign.pk, "xa", a]),
        reverse("surveys:report", args=[campaign.pk, "xa", a]),
        reverse("surveys:paper", args=[campaign.pk, "xa", a]),
        reverse("surveys:import", args=[campaign.pk, "xa", a]),
        reverse("surveys:responses_xlsx", args=[campaign.pk, "xa", a]),
    ]
    for url in pages:
        assert client_for(world.officer_a).get(url).status_code == 200, url
        assert client_for(world.officer_b).get(url).status_code == 404, url
        assert client_for(world.resident_a1).get(url).status_code == 403, url
    # the head reads their area's results but may not type sheets, import or export responses
    area = world.area_a1.code
    head = client_for(world.head_a1)
    assert head.get(reverse("surveys:results", args=[campaign.pk, "khu", area])).status_code == 200
    for name in ("paper", "import", "responses_xlsx"):
        assert head.get(
            reverse(f"surveys:{name}", args=[campaign.pk, "khu", area])
        ).status_code == (403), name


def test_codes_are_post_only_and_for_those_who_run_the_campaign(world, campaign, client_for):
    url = reverse("surveys:codes", args=[campaign.pk, world.area_a1.code])
    officer = client_for(world.officer_a)
    assert officer.get(url).status_code == 405
    page = officer.post(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Khu 3" in page.content.decode()  # breadcrumbs and title name the area
    assert client_for(world.head_a1).post(url).status_code == 403
    assert client_for(world.officer_b).post(url).status_code == 404


def test_campaign_creation_and_forms_need_the_permission(world, client_for):
    assert client_for(world.head_a1).get(
        reverse("surveys:campaign_new", args=["xa", world.commune_a.code])
    ).status_code == (403)
    form = services.form_builtin()
    head = client_for(world.head_a1)
    assert head.get(reverse("surveys:form_import")).status_code == 403
    assert head.get(reverse("surveys:form_export", args=[form.pk])).status_code == 200
    assert head.get(reverse("surveys:form_export", args=[form.pk + 99])).status_code == 404
    resident = client_for(world.resident_a1)
    assert resident.get(reverse("surveys:form_export", args=[form.pk])).status_code == 403


def test_campaign_form_is_sent_once(world, client_for):
    from caunoi.surveys.models import Campaign

    c = client_for(world.officer_a)
    url = reverse("surveys:campaign_new", args=["xa", world.commune_a.code])
    key = re.search(r'name="submission" value="([^"]+)"', c.get(url).content.decode())[1]
    data = {
        "title": "Lấy ý kiến",
        "form": services.form_builtin().pk,
        "start": "01/07/2026",
        "end": "31/07/2026",
        "target": 10,
        "min_per_area": 1,
        "submission": key,
    }
    first, second = c.post(url, data), c.post(url, data)
    assert first.url == second.url == Campaign.objects.get().get_absolute_url()


def test_double_click_on_a_double_entry_sheet_is_not_its_second_typing(world, campaign, client_for):
    campaign.double_entry = True
    campaign.save()
    c = client_for(world.officer_a)
    url = reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_a.code])
    key = re.search(r'name="submission" value="([^"]+)"', c.get(url).content.decode())[1]
    data = {"p-sheet": "5", "p-area": world.area_a1.code, "danh_gia": "rat_tot", "submission": key}
    assert c.post(url, data).status_code == 302
    assert c.post(url, data).status_code == 302
    assert not Response.objects.exists()  # still waiting for a real second typing
    assert c.post(url, {**data, "submission": ""}).status_code == 302
    assert Response.objects.count() == 1


def test_import_page_lists_the_rows_to_correct(world, campaign, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world.officer_a)
    url = reverse("surveys:import", args=[campaign.pk, "xa", world.commune_a.code])
    data = f"khu,danh_gia\n{world.area_a1.code},tuyet\n{world.area_b1.code},rat_tot\n".encode()
    page = c.post(url, {"file": SimpleUploadedFile("r.csv", data, "text/csv")})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "2 rows have errors: nothing was imported." in text
    assert "Row 2" in text and "Row 3" in text and "08122-01" in text
    good = f"khu,danh_gia\n{world.area_a1.code},rat_tot\n".encode()
    page = c.post(url, {"file": SimpleUploadedFile("r.csv", good, "text/csv")})
    assert page.url == reverse("surveys:results", args=[campaign.pk, "xa", world.commune_a.code])
    assert Response.objects.count() == 1


# ------------------------------------------------------------------------------ guessing codes


def test_wrong_codes_from_one_address_are_throttled(world, campaign, client, settings):
    settings.SURVEY_CODE_TRIES_PER_IP_PER_HOUR = 3
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    start = reverse("surveys:answer_start")
    for wrong in ("1111 2222 3333", "1234"):
        assert "not valid" in client.post(start, {"code": wrong}).content.decode()
    assert client.get(reverse("surveys:answer_code", args=["000000000000"])).status_code == 404
    # the limit is reached: even the right code is refused from this address for the hour
    page = client.post(start, {"code": code})
    assert page.status_code == 429
    assert "Too many wrong codes were typed from this network" in page.content.decode()
    assert client.get(reverse("surveys:answer_code", args=[code])).status_code == 429
    # another address is counted apart
    page = client.post(start, {"code": code}, REMOTE_ADDR="203.0.113.9")
    assert page.url == reverse("surveys:answer_code", args=[code])


def test_right_codes_are_not_counted(world, campaign, client, settings):
    settings.SURVEY_CODE_TRIES_PER_IP_PER_HOUR = 1
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    for _i in range(3):
        assert client.get(reverse("surveys:answer_code", args=[code])).status_code == 200


def test_wrong_codes_on_a_campaigns_sheets_are_throttled(world, campaign, client_for, settings):
    settings.SURVEY_CODE_TRIES_PER_CAMPAIGN_PER_HOUR = 2
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    c = client_for(world.officer_a)
    url = reverse("surveys:paper", args=[campaign.pk, "xa", world.commune_a.code])
    sheet = {"p-area": world.area_a1.code, "danh_gia": "rat_tot"}
    for n in ("1", "2"):
        page = c.post(url, {**sheet, "p-sheet": n, "p-code": "999988887777"})
        assert "This code is not valid" in page.content.decode()
    page = c.post(url, {**sheet, "p-sheet": "3", "p-code": code})
    assert page.status_code == 429
    assert "Too many wrong codes were typed on this campaign" in page.content.decode()
    assert not Response.objects.exists()
    # a sheet without a code still counts
    assert c.post(url, {**sheet, "p-sheet": "4"}).status_code == 302
    assert Response.objects.count() == 1


# ------------------------------------------------------------------------------ files


def test_spreadsheets_have_real_cells_and_kit_headers(world, campaign, client_for):
    _fill(world, campaign)
    c = client_for(world.officer_a)
    page = c.get(reverse("surveys:results_xlsx", args=[campaign.pk, "xa", world.commune_a.code]))
    assert page["Content-Disposition"].startswith("attachment;")
    assert f"ket-qua-{campaign.pk}-{world.commune_a.code}.xlsx" in page["Content-Disposition"]
    assert page["X-Content-Type-Options"] == "nosniff"
    wb = load_workbook(io.BytesIO(page.content))
    share = next(r for r in wb.worksheets[0].iter_rows() if r[0].value == "Very good")[2]
    assert share.value == 75.0 and share.data_type == "n"
    assert wb.worksheets[1].freeze_panes == "A2"
    services.responses_bulk(
        campaign=campaign, rows=[(world.area_a1, {"danh_gia": "rat_tot"})], channel="paper"
    )
    page = c.get(reverse("surveys:responses_xlsx", args=[campaign.pk, "xa", world.commune_a.code]))
    ws = load_workbook(io.BytesIO(page.content)).active
    assert ws.freeze_panes == "A2"
    day = ws.cell(2, 3)
    assert day.is_date and day.value.date() == TODAY and day.number_format == "dd/mm/yyyy"
    template = c.get(reverse("surveys:import_template", args=[campaign.pk]))
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header[:2] == ("khu", "danh_gia")
    assert client_for(world.head_a1).get(
        reverse("surveys:import_template", args=[campaign.pk])
    ).status_code == (403)


def test_results_page_shows_the_rule_of_small_numbers(world, campaign, client_for, settings):
    settings.SURVEY_MIN_RESPONSES = 7
    _fill(world, campaign)  # area a1 has 6
    page = client_for(world.officer_a).get(_url(campaign, world.area_a1)).content.decode()
    assert "shown from 7 responses" in page
    assert "Fewest responses before a unit&#x27;s results are shown" in page


def test_the_demo_adds_a_later_survey_that_drills_down_to_an_area(world, client_for):
    """Issue 12, item 18: the article's 2022 campaign stays as it was ("not enough responses" in
    every area); the 2024 one has enough in every area of five households or more, so its
    results show down to an area."""
    import random

    from caunoi.surveys import demo, policy
    from caunoi.surveys.models import Campaign
    from caunoi.territory.models import Household

    Household.objects.bulk_create(
        Household(area=world.area_a1, code=f"{world.area_a1.code}-{k:03d}", address=f"Số {k}")
        for k in range(10, 40)
    )
    Household.objects.bulk_create(
        Household(area=world.area_a2, code=f"{world.area_a2.code}-{k:03d}", address=f"Số {k}")
        for k in range(10, 13)
    )
    demo.build(province=world.province, rng=random.Random(1), log=lambda *a: None)
    first = Campaign.objects.get(start=datetime.date(2022, 3, 1))
    later = Campaign.objects.get(start=datetime.date(2024, 3, 1))
    assert first.responses.count() == 2900
    least = policy.MIN_RESPONSES.value
    households = world.area_a1.households.count()
    assert later.responses.filter(area=world.area_a1).count() == max(
        least, round(households * 0.06)
    )
    assert later.ballots.count() == later.responses.count()  # one answer per household
    small = world.area_a2.households.count()
    assert later.responses.filter(area=world.area_a2).count() == min(small, least)
    c = client_for(world.province_officer)
    html = c.get(_url(later, world.area_a1)).content.decode()
    assert "Not enough responses" not in html and "Very good" in html
    commune = c.get(_url(later, world.commune_a)).content.decode()
    row = commune.split(world.area_a1.code, 1)[1].split("</tr>", 1)[0]
    assert "Not enough responses" not in row  # the commune's table of areas shows it
