import datetime
import io

import pytest
from openpyxl import Workbook

from caunoi.core.exceptions import ApplicationError
from caunoi.surveys import expressions, selectors, services, stats, xlsform
from caunoi.surveys.answering import clean_answers
from caunoi.surveys.models import Ballot, Channel, Response, Tally
from caunoi.testing import add_households

TODAY = datetime.date.today()
pytestmark = pytest.mark.usefixtures("english")


def _households(area, n):
    return add_households(area, range(100, 100 + n))


# ------------------------------------------------------------------------------ statistics


def test_wilson_reproduces_the_article_with_intervals():
    low, high = stats.wilson(1795, 2900)
    assert round(1795 / 2900, 3) == 0.619
    assert 0.600 < low < 0.603 and 0.636 < high < 0.638
    low, high = stats.wilson(12, 2900)
    assert 0.0023 < low < 0.0025 and 0.0071 < high < 0.0073
    assert stats.wilson(0, 0) == (0.0, 0.0)


def test_two_proportions_marks_only_real_differences():
    assert stats.two_proportions(80, 100, 50, 100)[1] is True
    assert stats.two_proportions(52, 100, 50, 100)[1] is False
    assert stats.two_proportions(3, 4, 0, 4)[1] is False  # too few


# ------------------------------------------------------------------------------ expressions


@pytest.mark.parametrize(
    "text,answers,current,expected",
    [
        (". >= 0 and . <= 120", {}, 45, True),
        (". >= 0 and . <= 120", {}, 150, False),
        ("${a} = 'yes'", {"a": "yes"}, None, True),
        ("${a} != 'yes'", {"a": "yes"}, None, False),
        ("selected(${m}, 'x')", {"m": ["x", "y"]}, None, True),
        ("count-selected(${m}) <= 1", {"m": ["x", "y"]}, None, False),
        ("string-length(.) > 3", {}, "abcd", True),
        ("not(${a} = 'no') or ${n} > 2 * 3", {"a": "no", "n": 7}, None, True),
        ("(${n} + 1) div 2 = 4", {"n": 7}, None, True),
        ("${n} mod 2 = 1", {"n": 7}, None, True),
        ("${missing} = ''", {}, None, True),
    ],
)
def test_expressions(text, answers, current, expected):
    assert expressions.holds(text, answers, current) is expected


@pytest.mark.parametrize(
    "text", ["__import__('os')", "pulldata('x')", "${a} = ", "regex(., 'a')", "1 +* 2", "'open"]
)
def test_expressions_outside_the_subset_are_refused(text):
    with pytest.raises(expressions.ExpressionError):
        expressions.parse(text)


# ------------------------------------------------------------------------------ XLSForm


def _xlsform(survey_rows, choices_rows=(), settings_row=None, survey_header=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(
        survey_header
        or [
            "type",
            "name",
            "label::Tiếng Việt (vi)",
            "label::English (en)",
            "required",
            "constraint",
            "constraint_message::Tiếng Việt (vi)",
            "relevant",
            "parameters",
            "appearance",
        ]
    )
    for r in survey_rows:
        ws.append(r)
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"])
    for r in choices_rows:
        ch.append(r)
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version", "default_language"])
    st.append(settings_row or ["Khảo sát thử", "khao_sat_thu", "1", "Tiếng Việt (vi)"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FULL_FORM = _xlsform(
    [
        ["start", "start", "", "", "", "", "", "", "", ""],
        ["select_one muc_do", "danh_gia", "Đánh giá", "Rating", "yes", "", "", "", "", ""],
        [
            "select_multiple kenh",
            "kenh",
            "Kênh",
            "Channels",
            "",
            "count-selected(.) <= 2",
            "Chọn tối đa 2",
            "",
            "",
            "",
        ],
        [
            "integer",
            "tuoi",
            "Tuổi",
            "Age",
            "",
            ". >= 18 and . <= 120",
            "Tuổi từ 18 đến 120",
            "",
            "",
            "",
        ],
        ["decimal", "thu_nhap", "Thu nhập (triệu)", "Income", "", ". >= 0", "", "", "", ""],
        ["date", "ngay", "Ngày họp gần nhất", "Last meeting", "", "", "", "", "", ""],
        ["range", "diem", "Điểm", "Score", "", "", "", "", "start=1 end=5 step=1", "rating"],
        [
            "text",
            "ly_do",
            "Vì sao chưa hiệu quả?",
            "Why not?",
            "",
            "",
            "",
            "${danh_gia} = 'chua_hieu_qua'",
            "",
            "",
        ],
    ],
    [
        ["muc_do", "rat_tot", "Rất tốt", "Very good"],
        ["muc_do", "hieu_qua", "Hiệu quả", "Effective"],
        ["muc_do", "chua_hieu_qua", "Chưa hiệu quả", "Not yet effective"],
        ["kenh", "loa", "Loa", "Loudspeaker"],
        ["kenh", "zalo", "Zalo", "Zalo"],
        ["kenh", "hop", "Họp", "Meeting"],
    ],
)


def test_xlsform_import_reads_every_supported_feature():
    d = xlsform.parse_workbook(FULL_FORM)
    assert d["title"] == "Khảo sát thử" and d["default_language"] == "vi"
    assert d["languages"] == ["vi", "en"]
    names = [q["name"] for q in d["questions"]]
    assert names == [
        "danh_gia",
        "kenh",
        "tuoi",
        "thu_nhap",
        "ngay",
        "diem",
        "ly_do",
    ]  # start left out
    q = {q["name"]: q for q in d["questions"]}
    assert q["danh_gia"]["required"] and q["danh_gia"]["label"]["en"] == "Rating"
    assert q["diem"]["parameters"] == {"start": 1.0, "end": 5.0, "step": 1.0}
    assert q["ly_do"]["relevant"] == "${danh_gia} = 'chua_hieu_qua'"
    assert q["tuoi"]["constraint_message"]["vi"] == "Tuổi từ 18 đến 120"


def test_xlsform_round_trips():
    first = xlsform.parse_workbook(FULL_FORM)
    exported = xlsform.write_workbook(first)
    again = xlsform.parse_workbook(exported)
    assert again == first
    assert xlsform.parse_workbook(xlsform.write_workbook(again)) == first
    builtin = xlsform.head_evaluation()
    assert xlsform.parse_workbook(xlsform.write_workbook(builtin)) == builtin


def test_plain_language_names_are_read():
    data = _xlsform(
        [["text", "y_kien", "Ý kiến", "Opinion"]],
        survey_header=["type", "name", "label::Tiếng Việt", "label::English"],
        settings_row=["T", "t", "1", "Tiếng Việt"],
    )
    d = xlsform.parse_workbook(data)
    assert d["questions"][0]["label"] == {"vi": "Ý kiến", "en": "Opinion"}


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([["geopoint", "vi_tri", "Vị trí", "", "", "", "", "", "", ""]], "geopoint"),
        ([["begin_repeat", "g", "Nhóm", "", "", "", "", "", "", ""]], "begin_repeat"),
        ([["integer", "n", "Số", "", "", "pulldata('a')", "", "", "", ""]], "pulldata"),
        ([["integer", "n", "Số", "", "", "", "", "${khong_co} = 1", "", ""]], "khong_co"),
        ([["select_one khong_co", "n", "Số", "", "", "", "", "", "", ""]], "khong_co"),
        ([["integer", "2n", "Số", "", "", "", "", "", "", ""]], "2n"),
    ],
)
def test_unsupported_features_are_refused_naming_them_and_the_row(rows, expected):
    with pytest.raises(xlsform.FormError) as exc:
        xlsform.parse_workbook(_xlsform(rows))
    assert expected in str(exc.value.message) and "Row 2" in str(exc.value.message)


def test_unsupported_column_is_named():
    data = _xlsform(
        [["integer", "n", "Số", "x"]], survey_header=["type", "name", "label", "media::image"]
    )
    with pytest.raises(xlsform.FormError, match="media::image"):
        xlsform.parse_workbook(data)


@pytest.mark.parametrize("data", [b"", b"not a workbook at all", b"PK\x03\x04broken"])
def test_malformed_xlsform_is_refused(data, db):
    with pytest.raises(xlsform.FormError):
        services.form_import(actor=None, data=data)


# ------------------------------------------------------------------------------ answers


def test_clean_answers_types_constraints_and_skip_logic():
    d = xlsform.parse_workbook(FULL_FORM)
    answers, errors = clean_answers(
        d,
        {
            "danh_gia": "hieu_qua",
            "kenh": ["zalo", "loa"],
            "tuoi": "45",
            "thu_nhap": "2,5",
            "ngay": "13/06/2022",
            "diem": "4",
            "ly_do": "ignored: not relevant",
        },
    )
    assert errors == {}
    assert answers == {
        "danh_gia": "hieu_qua",
        "kenh": ["loa", "zalo"],
        "tuoi": 45,
        "thu_nhap": 2.5,
        "ngay": "2022-06-13",
        "diem": 4,
    }
    answers, errors = clean_answers(
        d,
        {
            "kenh": ["loa", "zalo", "hop"],
            "tuoi": "150",
            "diem": "9",
            "ngay": "31/02/2022",
            "danh_gia": "xyz",
        },
    )
    assert set(errors) == {"danh_gia", "kenh", "tuoi", "diem", "ngay"}
    assert errors["tuoi"] == "Tuổi từ 18 đến 120"
    answers, errors = clean_answers(d, {"danh_gia": "chua_hieu_qua", "ly_do": "Cách xa"})
    assert answers["ly_do"] == "Cách xa"
    _a, errors = clean_answers(d, {})
    assert errors == {"danh_gia": "This question needs an answer."}
    nfd = "Ca\u0301ch xa"
    answers, _e = clean_answers(d, {"danh_gia": "chua_hieu_qua", "ly_do": nfd})
    assert answers["ly_do"] == "Cách xa"


# ------------------------------------------------------------------------------ responses


def test_one_response_per_household_by_code(world, campaign):
    issued = services.invitations_issue(
        actor=world.officer_a, campaign=campaign, area=world.area_a1
    )
    assert [h.pk for h, _c in issued] == [world.household_a1.pk]
    code = issued[0][1]
    services.response_submit_code(code=code, raw={"danh_gia": "rat_tot"})
    with pytest.raises(ApplicationError) as exc:
        services.response_submit_code(code=code, raw={"danh_gia": "hieu_qua"})
    assert exc.value.code == "already_answered"
    # a fresh code for the same household is not issued, and a signed-in answer is refused too
    assert services.invitations_issue(actor=None, campaign=campaign, area=world.area_a1) == []
    with pytest.raises(ApplicationError):
        services.response_submit_household(
            campaign=campaign, household=world.household_a1, raw={"danh_gia": "hieu_qua"}
        )
    assert Response.objects.count() == 1 and Ballot.objects.count() == 1
    assert Tally.objects.get(question="danh_gia", choice="rat_tot").count == 1


def test_a_response_keeps_no_person_and_no_household(world, campaign):
    services.response_submit_household(
        campaign=campaign, household=world.household_a1, raw={"danh_gia": "rat_tot"}
    )
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"household", "person", "respondent", "key", "created_at"}
    ballot = Ballot.objects.get()
    assert len(ballot.key) == 64
    # unkeyed hashes of the household's id do not find it: the key needs the servers' secret
    import hashlib

    plain = f"household:{campaign.pk}:{world.household_a1.pk}".encode()
    assert ballot.key not in {
        hashlib.sha256(plain).hexdigest(),
        hashlib.sha256(str(world.household_a1.pk).encode()).hexdigest(),
    }
    # the key is campaign-specific
    other = services.household_key(campaign_id=campaign.pk + 1, household_id=world.household_a1.pk)
    assert other != ballot.key


def test_bad_answers_change_nothing(world, campaign):
    with pytest.raises(services.AnswersInvalid) as exc:
        services.response_submit_household(
            campaign=campaign, household=world.household_a1, raw={"danh_gia": "tuyet_voi"}
        )
    assert "danh_gia" in exc.value.errors
    assert not Response.objects.exists() and not Ballot.objects.exists()


def test_closed_campaign_refuses(world, campaign):
    campaign.end = TODAY - datetime.timedelta(days=1)
    campaign.start = TODAY - datetime.timedelta(days=9)
    campaign.save()
    with pytest.raises(ApplicationError) as exc:
        services.response_submit_household(
            campaign=campaign, household=world.household_a1, raw={"danh_gia": "rat_tot"}
        )
    assert exc.value.code == "closed"


def test_paper_double_entry_flags_mismatches(world, campaign):
    campaign.double_entry = True
    campaign.save()
    kw = dict(actor=world.officer_a, campaign=campaign, area_code=world.area_a1.code)
    assert services.paper_enter(sheet="1", raw={"danh_gia": "rat_tot"}, **kw).state == "waiting"
    r = services.paper_enter(sheet="1", raw={"danh_gia": "hieu_qua"}, **kw)
    assert r.state == "mismatch" and r.differences == ["danh_gia"]
    assert not Response.objects.exists()
    assert services.paper_enter(sheet="1", raw={"danh_gia": "hieu_qua"}, **kw).state == "counted"
    assert Response.objects.get().channel == Channel.PAPER
    with pytest.raises(services.AnswersInvalid) as exc:
        services.paper_enter(sheet="1", raw={"danh_gia": "hieu_qua"}, **kw)
    assert "sheet" in exc.value.errors
    assert services.paper_enter(sheet="2", raw={"danh_gia": "rat_tot"}, **kw).state == "waiting"
    assert services.paper_enter(sheet="2", raw={"danh_gia": "rat_tot"}, **kw).state == "counted"
    assert Response.objects.count() == 2


def test_paper_single_entry_counts_at_once_and_refuses_other_ground(world, campaign):
    kw = dict(actor=world.officer_a, campaign=campaign, raw={"danh_gia": "rat_tot"})
    assert services.paper_enter(sheet="7", area_code=world.area_a1.code, **kw).state == "counted"
    with pytest.raises(services.AnswersInvalid) as exc:
        services.paper_enter(sheet="8", area_code=world.area_b1.code, within=world.commune_a, **kw)
    assert "area" in exc.value.errors
    assert Response.objects.count() == 1


def _table(rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing_with_a_row_report(world, campaign):
    bad = _table(
        [
            ["khu", "danh_gia", "thong_bao"],
            [world.area_a1.code, "rat_tot", "co"],
            ["99999-01", "rat_tot", ""],
            [world.area_a2.code, "tuyet", ""],
        ]
    )
    with pytest.raises(services.ImportRefused) as refused:
        services.responses_import(
            actor=world.officer_a, campaign=campaign, data=bad, filename="x.xlsx"
        )
    assert [row for row, _e in refused.value.report.errors] == [3, 4]
    assert str(refused.value.message) == "2 rows have errors: nothing was imported."
    assert not Response.objects.exists()
    # an area of the campaign outside the page's ground (commune B, typed at commune A)
    other = f"khu,danh_gia\n{world.area_b1.code},rat_tot\n".encode()
    with pytest.raises(services.ImportRefused):
        services.responses_import(
            actor=None, campaign=campaign, data=other, filename="x.csv", within=world.commune_a
        )
    good = (
        "khu,danh_gia,thong_bao\n"
        + f"{world.area_a1.code},rat_tot,co\n" * 3
        + f"{world.area_b1.code},hieu_qua,\n"
    )
    report = services.responses_import(
        actor=world.officer_a, campaign=campaign, data=good.encode(), filename="x.csv"
    )
    assert report.ok and report.created == 4
    assert Tally.objects.get(area=world.area_a1, question="danh_gia", choice="rat_tot").count == 3
    with pytest.raises(ApplicationError):
        services.responses_import(
            actor=None, campaign=campaign, data=b"\xff\xfe\x00", filename="x.csv"
        )
    with pytest.raises(ApplicationError, match="not a question"):
        services.responses_import(
            actor=None, campaign=campaign, data=b"khu,tuoi\n", filename="x.csv"
        )


def test_results_with_suppression_and_totals(world, campaign):
    rows = [(world.area_a1, {"danh_gia": "rat_tot"})] * 6 + [
        (world.area_a2, {"danh_gia": "hieu_qua"})
    ] * 2
    rows += [(world.area_b1, {"danh_gia": "hieu_qua"})] * 6
    for r in rows:
        r[0].parent.parent  # noqa: B018  (load)
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    res = selectors.campaign_results(campaign, world.commune_a)
    assert res.total == 8
    q = res.questions[0]
    assert [(c.name, c.share.count) for c in q.choices][:2] == [("rat_tot", 6), ("hieu_qua", 2)]
    by = {row.unit.code: row for row in res.children}
    assert not by[world.area_a1.code].suppressed and by[world.area_a2.code].suppressed
    assert selectors.campaign_results(campaign, world.area_a2).suppressed
    res = selectors.campaign_results(campaign, world.district)
    by = {row.unit.code: row for row in res.children}
    assert by[world.commune_a.code].meaningful and by[world.commune_a.code].z > 0
    cmp = selectors.campaign_compare(campaign, world.commune_a, world.commune_b)
    assert cmp[0]["rows"][0]["meaningful"] is True


def test_results_of_a_two_level_province_and_of_the_country(world):
    """A province without districts rolls up to its communes, the country to its provinces."""
    from caunoi.territory.models import Kind
    from caunoi.territory.services import unit_create

    province = unit_create(actor=None, kind=Kind.PROVINCE, code="26", name="Tỉnh Vĩnh Phúc")
    ward = unit_create(
        actor=None, kind=Kind.WARD, code="09001", name="Phường Xuân Hòa", parent=province
    )
    commune = unit_create(
        actor=None, kind=Kind.COMMUNE, code="09002", name="Xã Bá Hiến", parent=province
    )
    tdp = unit_create(actor=None, kind=Kind.AREA, code="09001-01", name="TDP 1", parent=ward)
    unit_create(actor=None, kind=Kind.AREA, code="09002-01", name="Thôn 1", parent=commune)
    campaign = services.campaign_create(
        actor=None,
        unit=None,
        form=services.form_builtin(),
        title="Toàn quốc",
        start=TODAY,
        end=TODAY,
        min_per_area=2,
    )
    rows = [(tdp, {"danh_gia": "rat_tot"})] * 6 + [(world.area_a1, {"danh_gia": "hieu_qua"})] * 7
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    assert Tally.objects.get(area=tdp, question="").district_id is None
    res = selectors.campaign_results(campaign, province)
    assert res.total == 6 and (res.areas, res.areas_reached) == (2, 1)
    assert [(r.unit, r.total, r.areas, r.areas_reached) for r in res.children] == [
        (ward, 6, 1, 1),
        (commune, 0, 1, 0),
    ]
    assert res.children[0].share == stats.Share(6, 6) and res.children[1].suppressed
    country = selectors.campaign_results(campaign, None)
    assert country.total == 13 and country.areas == 0  # the country's areas are not counted
    assert [(r.unit.code, r.total) for r in country.children] == [("25", 7), ("26", 6)]
    assert country.children[1].meaningful and country.children[1].z > 0  # 100 % against 0 %
    compare = selectors.campaign_compare(campaign, ward, commune)
    assert compare[0]["rows"][0]["a"] == stats.Share(6, 6)


def test_results_take_a_fixed_number_of_queries(world, campaign, django_assert_num_queries):
    rows = [(world.area_a1, {"danh_gia": "rat_tot"})] * 6 + [
        (world.area_b1, {"danh_gia": "hieu_qua"})
    ] * 6
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    # the sums per choice; the children, their total and their sums (the roll-up); their areas
    for unit in (world.province, world.district, world.commune_a):
        with django_assert_num_queries(5):
            selectors.campaign_results(campaign, unit)
    with django_assert_num_queries(4):  # the country: its provinces' areas are not counted
        selectors.campaign_results(campaign, None)
    with django_assert_num_queries(1):  # an area: no children
        selectors.campaign_results(campaign, world.area_a1)
    with django_assert_num_queries(2):  # two communes compared: their sums only
        selectors.campaign_compare(campaign, world.commune_a, world.commune_b)


# ------------------------------------------------------------------------------ audit, rounding


def test_writes_are_audited_under_declared_names(world, campaign):
    from caunoi.core.audit import ACTIONS
    from caunoi.core.models import AuditEntry
    from caunoi.surveys import audit

    services.form_import(actor=world.officer_a, data=FULL_FORM)
    services.invitations_issue(actor=world.officer_a, campaign=campaign, area=world.area_a1)
    services.responses_import(
        actor=world.officer_a,
        campaign=campaign,
        data=f"khu,danh_gia\n{world.area_a1.code},rat_tot\n".encode(),
        filename="x.csv",
    )
    recorded = set(AuditEntry.objects.values_list("action", flat=True))
    ours = {a for a in recorded if a.startswith("surveys.")}
    assert ours == {
        audit.CAMPAIGN_CREATED,
        audit.FORM_IMPORTED,
        audit.CODES_ISSUED,
        audit.RESPONSES_IMPORTED,
    }
    assert all(name in ACTIONS for name in ours)


@pytest.mark.parametrize("share", [0.0625, 0.3125, 0.2345, 0.61896, 0.4285714, 1 / 3, 0.9995])
def test_spreadsheet_shares_round_like_the_pages(share):
    from caunoi.core.templatetags.caunoi import pct
    from caunoi.surveys.exports import percent

    assert pct(share) == f"{percent(share):.1f}".replace(".", ",") + "%"


def test_spreadsheet_shares_round_half_up():
    from caunoi.surveys.exports import percent

    # 6,25% and 31,25% are 6,3% and 31,3% on the pages; round() would write 6.2 and 31.2
    assert [percent(0.0625), percent(0.3125), percent(0.2345)] == [6.3, 31.3, 23.5]
