"""XLSForm files as KoboToolbox's form builder and ODK users write them (issue 12 item 19): groups,
notes, calculate, or_other, cascading choices (choice_filter), required and constraint messages in
several languages, metadata; what stays unsupported refused all at once, with its rows; exports
that keep the language names and metadata and pass pyxform."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from caunoi.surveys import services, xlsform
from caunoi.surveys.answering import clean_answers
from caunoi.surveys.models import Response
from caunoi.testing import survey_campaign

VI, EN = "Vietnamese (vi)", "English (en)"
SURVEY_HEADER = [
    "type",
    "name",
    f"label::{VI}",
    f"label::{EN}",
    f"hint::{VI}",
    "required",
    f"required_message::{VI}",
    f"required_message::{EN}",
    "relevant",
    "constraint",
    f"constraint_message::{VI}",
    f"constraint_message::{EN}",
    "calculation",
    "choice_filter",
    "appearance",
    "$kuid",
    "$autoname",
]


def kobo_form(rows=None, choices=None) -> bytes:
    """A workbook the way KoboToolbox's form builder exports it (its $kuid/$autoname columns,
    "begin group" spelled with a space as well as begin_group, language columns by name)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(SURVEY_HEADER)

    default_rows = [
        ["start", "start"],
        ["end", "end"],
        ["today", "today"],
        ["begin_group", "ho", "Thông tin hộ", "Household"],
        [
            "select_one tinh",
            "tinh",
            "Tỉnh",
            "Province",
            "",
            "true",
            "Hãy chọn tỉnh",
            "Choose the province",
        ],
        [
            "select_one xa",
            "xa",
            "Xã",
            "Commune",
            "",
            "true",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "tinh=${tinh}",
        ],
        [
            "integer",
            "so_nguoi",
            "Số người trong hộ",
            "People",
            "",
            "true",
            "",
            "",
            "",
            ". > 0 and . < 30",
            "Từ 1 đến 29 người",
            "From 1 to 29 people",
        ],
        ["note", "cam_on", "Cảm ơn gia đình đã trả lời.", "Thank you."],
        ["end_group", ""],
        ["begin group", "y_kien", "Ý kiến", "Opinion", "", "", "", "", "${so_nguoi} > 1"],
        ["select_one muc_do or_other", "danh_gia", "Đánh giá trưởng khu", "Rating"],
        ["end group", ""],
        ["calculate", "gap_doi", "", "", "", "", "", "", "", "", "", "", "${so_nguoi} * 2"],
    ]
    for r in rows or default_rows:
        ws.append([*r, *[""] * (len(SURVEY_HEADER) - 2 - len(r)), "kuid1", ""])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", f"label::{VI}", f"label::{EN}", "tinh", "$kuid", "$autovalue"])
    for c in choices or [
        ["tinh", "pt", "Phú Thọ", "Phu Tho", ""],
        ["tinh", "hn", "Hà Nội", "Hanoi", ""],
        ["xa", "dx", "Đồng Xuân", "Dong Xuan", "pt"],
        ["xa", "hc", "Hanh Cù", "Hanh Cu", "pt"],
        ["xa", "bd", "Ba Đình", "Ba Dinh", "hn"],
        ["muc_do", "tot", "Tốt", "Good", ""],
        ["muc_do", "chua_tot", "Chưa tốt", "Not good", ""],
    ]:
        ch.append([*c, "k", c[1]])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version", "default_language", "style"])
    st.append(["Khảo sát hộ (Kobo)", "khao_sat_ho", "2", VI, "pages"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_kobo_form_is_read_whole():
    d = xlsform.parse_workbook(kobo_form())
    assert d["default_language"] == "vi" and d["languages"] == ["vi", "en"]
    assert d["language_names"] == {"vi": VI}  # English (en) is our own name already
    assert d["metadata"] == [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
    ]
    assert [g["name"] for g in d["groups"]] == ["ho", "y_kien"]
    assert d["groups"][1]["relevant"] == "${so_nguoi} > 1"
    q = {q["name"]: q for q in d["questions"]}
    assert list(q) == ["tinh", "xa", "so_nguoi", "cam_on", "danh_gia", "danh_gia_other", "gap_doi"]
    assert q["tinh"]["groups"] == ["ho"] and q["danh_gia"]["groups"] == ["y_kien"]
    assert q["tinh"]["required_message"] == {"vi": "Hãy chọn tỉnh", "en": "Choose the province"}
    assert q["xa"]["choice_filter"] == "tinh=${tinh}"
    assert q["danh_gia"]["or_other"] and q["danh_gia_other"]["relevant"] == (
        "selected(${danh_gia}, 'other')"
    )
    assert q["gap_doi"]["calculation"] == "${so_nguoi} * 2"
    assert d["choices"]["xa"][0] == {
        "name": "dx",
        "label": {"vi": "Đồng Xuân", "en": "Dong Xuan"},
        "filters": {"tinh": "pt"},
    }


def test_answers_follow_groups_cascades_other_and_messages():
    d = xlsform.parse_workbook(kobo_form())
    answers, errors = clean_answers(d, {"tinh": "", "so_nguoi": "3"}, lang="en")
    assert errors["tinh"] == "Choose the province"  # its required_message, in the reader's language
    _a, errors = clean_answers(d, {"tinh": ""}, lang="vi")
    assert errors["tinh"] == "Hãy chọn tỉnh"
    _a, errors = clean_answers(d, {"tinh": "pt", "xa": "bd", "so_nguoi": "3"})
    assert "xa" in errors  # Ba Đình is in Hà Nội, not in Phú Thọ
    _a, errors = clean_answers(d, {"tinh": "pt", "xa": "dx", "so_nguoi": "40"}, lang="en")
    assert errors["so_nguoi"] == "From 1 to 29 people"
    answers, errors = clean_answers(
        d,
        {
            "tinh": "pt",
            "xa": "dx",
            "so_nguoi": "3",
            "danh_gia": "other",
            "danh_gia_other": "Tận tình nhưng bận",
        },
    )
    assert not errors
    assert answers == {
        "tinh": "pt",
        "xa": "dx",
        "so_nguoi": 3,
        "danh_gia": "other",
        "danh_gia_other": "Tận tình nhưng bận",
        "gap_doi": 6,
    }
    # A household of one skips the opinion group whole.
    answers, _e = clean_answers(d, {"tinh": "pt", "xa": "dx", "so_nguoi": "1", "danh_gia": "tot"})
    assert "danh_gia" not in answers and answers["gap_doi"] == 2


def test_the_export_keeps_language_names_and_metadata_and_passes_pyxform():
    first = xlsform.parse_workbook(kobo_form())
    exported = xlsform.write_workbook(first)
    survey = load_workbook(io.BytesIO(exported))["survey"]
    header = [c.value for c in survey[1]]
    assert f"label::{VI}" in header and f"required_message::{EN}" in header
    types = [r[0] for r in survey.iter_rows(min_row=2, values_only=True)]
    assert types[:3] == ["start", "end", "today"]
    assert "select_one muc_do or_other" in types and types.count("begin_group") == 2
    convert(xlsform=io.BytesIO(exported), validate=False, file_type=".xlsx")  # pyxform takes it
    assert xlsform.parse_workbook(exported) == first


def test_what_stays_unsupported_is_refused_at_once_with_every_row(english):
    data = kobo_form(
        rows=[
            ["begin repeat", "thanh_vien", "Thành viên", "Member"],
            ["text", "ten", "Tên", "Name"],
            ["end repeat", ""],
            ["rank", "uu_tien", "Ưu tiên", "Priority"],
            ["select_one_from_file xa.csv", "xa_file", "Xã", "Commune"],
            ["geopoint", "vi_tri", "Vị trí", "Location"],
        ],
        choices=[["muc_do", "tot", "Tốt", "Good", ""]],
    )
    with pytest.raises(xlsform.FormError) as exc:
        xlsform.parse_workbook(data)
    details = exc.value.extra["details"]
    assert len(details) == 5, details
    for row, what in [
        (2, "begin repeat"),
        (4, "end repeat"),
        (5, "rank"),
        (6, "select_one_from_file"),
        (7, "geopoint"),
    ]:
        assert any(f"Row {row} " in d and what in d for d in details), (row, what)


@pytest.fixture
def kobo_campaign(world):
    form = services.form_import(actor=None, data=kobo_form())
    return survey_campaign(world, "Khảo sát hộ", form=form, target=5)


def test_cascading_choices_are_offered_by_the_server_without_script(
    world, kobo_campaign, client, english
):
    ((_hh, code),) = services.invitations_issue(
        actor=None, campaign=kobo_campaign, area=world.area_a1
    )
    url = reverse("surveys:answer_code", args=[code])
    page = client.get(url).content.decode()
    assert "<h2>Household</h2>" in page and "<h2>Opinion</h2>" in page  # groups as sections
    assert "Thank you." in page  # the note
    assert 'value="dx"' not in page  # no commune before the province is known
    page = client.post(url, {"tinh": "pt", "so_nguoi": "3"}).content.decode()
    assert "Choose here now" in page
    assert 'value="dx"' in page and 'value="hc"' in page and 'value="bd"' not in page
    assert 'value="other"' in page  # or_other
    r = client.post(url, {"tinh": "pt", "xa": "hc", "so_nguoi": "3", "danh_gia": "tot"})
    assert r.status_code == 302
    assert Response.objects.get().answers["xa"] == "hc"


def test_metadata_are_recorded_with_each_answer_not_asked(world, kobo_campaign, client):
    """start, end and today: not questions on the page, but kept with the response (when the
    page was first sent, when the answers came, the day), as ODK Collect records them."""
    from django.utils import timezone

    ((_hh, code),) = services.invitations_issue(
        actor=None, campaign=kobo_campaign, area=world.area_a1
    )
    url = reverse("surveys:answer_code", args=[code])
    page = client.get(url)
    html = page.content.decode()
    for name in ("start", "end", "today"):
        assert f'name="{name}"' not in html
    opened = page.context["form"]["opened_at"].value()
    before = timezone.now()
    data = {"tinh": "pt", "xa": "hc", "so_nguoi": "3", "danh_gia": "tot", "opened_at": opened}
    assert client.post(url, data).status_code == 302
    meta = Response.objects.get().meta
    assert set(meta) == {"start", "end", "today"}
    start = datetime.datetime.fromisoformat(meta["start"])
    end = datetime.datetime.fromisoformat(meta["end"])
    assert start <= before <= end and end - start < datetime.timedelta(minutes=5)
    assert meta["end"].endswith("+07:00")  # local time with its offset, as Kobo writes it
    assert meta["today"] == timezone.localdate().isoformat()


def test_an_altered_opening_time_is_not_believed(world, kobo_campaign, client):
    ((_hh, code),) = services.invitations_issue(
        actor=None, campaign=kobo_campaign, area=world.area_a1
    )
    url = reverse("surveys:answer_code", args=[code])
    data = {"tinh": "pt", "xa": "hc", "so_nguoi": "3", "opened_at": "2020-01-01T00:00:00"}
    assert client.post(url, data).status_code == 302
    meta = Response.objects.get().meta
    assert meta["start"] == meta["end"]  # unknown: the time it came


def kobo_export(rows) -> bytes:
    """Responses as KoboToolbox's "XLS" export writes them: its metadata and own columns."""
    wb = Workbook()
    ws = wb.active
    header = ["start", "end", "today", "deviceid", "khu", "tinh", "xa", "so_nguoi", "danh_gia"]
    ws.append([*header, "_id", "_uuid", "_submission_time", "__version__", "_index"])
    for r in rows:
        ws.append([*r, 101, "b1e5-…", "2026-05-02T01:00:00", "vX", 1])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_kobo_export_is_imported_with_its_metadata_and_exported_again(
    world, kobo_campaign, client_for, english
):
    code = world.area_a1.code
    data = kobo_export(
        [
            [
                "2026-05-01T08:12:33.120+07:00",
                "2026-05-01T08:15:02.000+07:00",
                datetime.date(2026, 5, 1),
                "collect:AbC123",
                code,
                "pt",
                "dx",
                3,
                "tot",
            ],
            [
                datetime.datetime(2026, 5, 1, 9, 0),  # an Excel date and time: local
                datetime.datetime(2026, 5, 1, 9, 5),
                "2026-05-01",
                "",
                code,
                "pt",
                "hc",
                2,
                "chua_tot",
            ],
        ]
    )
    report = services.responses_import(
        actor=world.province_officer, campaign=kobo_campaign, data=data, filename="kobo.xlsx"
    )
    assert report.created == 2
    first, second = Response.objects.order_by("id")
    assert first.meta == {
        "start": "2026-05-01T08:12:33.120+07:00",
        "end": "2026-05-01T08:15:02.000+07:00",
        "today": "2026-05-01",
    }
    assert second.meta["start"] == "2026-05-01T09:00:00.000+07:00"
    assert "collect:AbC123" not in str(first.meta) and "deviceid" not in first.meta
    url = reverse("surveys:responses_xlsx", args=[kobo_campaign.pk, "tinh", world.province.code])
    ws = load_workbook(io.BytesIO(client_for(world.province_officer).get(url).content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:6] == ("khu", "channel", "received_on", "start", "end", "today")
    assert rows[1][3:6] == (
        datetime.datetime(2026, 5, 1, 8, 12, 33, 120000),
        datetime.datetime(2026, 5, 1, 8, 15, 2),
        datetime.datetime(2026, 5, 1),  # (openpyxl reads a date cell as a datetime)
    )
    assert ws.cell(2, 6).number_format == "dd/mm/yyyy"


def test_a_kobo_export_with_a_wrong_time_is_refused_with_its_row(world, kobo_campaign, english):
    data = kobo_export([["hôm qua", "", "", "", world.area_a1.code, "pt", "dx", 3, "tot"]])
    with pytest.raises(services.ImportRefused) as exc:
        services.responses_import(
            actor=None, campaign=kobo_campaign, data=data, filename="kobo.xlsx"
        )
    assert exc.value.report.rows == [(2, ["start: not a date and time"])]
    assert not Response.objects.exists()
