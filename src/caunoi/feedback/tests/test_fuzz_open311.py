"""hypothesis on Open311's query parameters and on the importers (issue 13): whatever arrives
(impossible dates, other scripts' digits, huge numbers, NUL, any text), the answer is a 200 or a
4xx in the spec's format, never a 5xx; an importer refuses clearly or reads, never raises
anything else."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caunoi.surveys import xlsform
from caunoi.territory.importers import ImportReport, vnprovinces

BOUNDED = settings(
    max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
CASES: dict[str, int] = {}

numberish = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet="0123456789²³¹١٢٣𝟙 ,-+", max_size=30),
    st.text(max_size=20),
)
dateish = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?)?\Z"),
    st.text(max_size=30),
)
params = st.fixed_dictionaries(
    {},
    optional={
        "start_date": dateish,
        "end_date": dateish,
        "page": numberish,
        "page_size": numberish,
        "service_request_id": numberish,
        "service_code": st.text(max_size=20),
        "status": st.sampled_from(["open", "closed", "open,closed", "", "x"]) | st.text(max_size=8),
        "jurisdiction_id": st.text(max_size=12),
    },
)


@pytest.mark.django_db
def test_open311_requests_never_500(client, world):
    count = 0

    @given(query=params, fmt=st.sampled_from(["json", "xml"]))
    @BOUNDED
    def run(query, fmt):
        nonlocal count
        count += 1
        response = client.get(f"/open311/v2/requests.{fmt}", query)
        assert response.status_code < 500, (query, response.status_code)

    run()
    CASES["open311"] = count
    print(f"hypothesis: {count} Open311 cases")


@given(data=st.binary(max_size=2000))
@BOUNDED
def test_xlsform_importer_refuses_or_reads(data):
    try:
        xlsform.parse_workbook(data)
    except xlsform.FormError:
        pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@pytest.mark.django_db
@given(data=json_values)
@BOUNDED
def test_province_importer_refuses_or_reads(data):
    report = ImportReport()
    vnprovinces.parse(data, report=report)


@given(raw=st.binary(max_size=300))
@BOUNDED
def test_province_loader_refuses_clearly(raw):
    try:
        vnprovinces.load(raw)
    except ValueError:
        pass
