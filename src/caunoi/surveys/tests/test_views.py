import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from caunoi.surveys import services, xlsform
from caunoi.surveys.models import Ballot, Channel, Form, Response
from caunoi.surveys.tests.test_surveys import FULL_FORM

TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["caunoi_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(world):
    return services.campaign_create(
        actor=world.province_officer,
        unit=world.province,
        form=services.form_builtin(),
        title="Đánh giá 2026",
        start=TODAY - datetime.timedelta(days=1),
        end=TODAY + datetime.timedelta(days=30),
        target=20,
    )


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
    assert client.get(_url(campaign, world.province)).status_code == 404
    assert client_for(world.resident_a1).get(_url(campaign, world.area_a1)).status_code in (
        403,
        404,
    )


def test_answer_by_code_once(world, campaign, client):
    ((_hh, code),) = services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1)
    page = client.post(reverse("surveys:answer_start"), {"code": services.format_code(code)})
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
    assert [x["id"] for x in body] == [campaign.pk]
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


def test_home_lists_the_survey_to_answer_then_forgets_it(world, campaign, client_for):
    c = client_for(world.resident_a1)
    answer = reverse("surveys:answer_household", args=[campaign.pk])
    assert answer in c.get("/").content.decode()
    c.post(answer, {"danh_gia": "rat_tot"})
    assert answer not in c.get("/").content.decode()
    home = client_for(world.officer_a).get("/").content.decode()
    assert reverse("surveys:campaign", args=[campaign.pk]) in home


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
