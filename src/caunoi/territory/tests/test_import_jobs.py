"""Imports through a job: a check keeps the file so that the officer can send each residential
area of a divided commune where it went before confirming; large files are imported by a worker
(the outbox's `territory.import` task) while a page, refreshing itself, shows how far it is."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caunoi.core.models import OutboxEvent
from caunoi.territory import jobs
from caunoi.territory.importers import areas
from caunoi.territory.models import AreaType, ImportJob, Kind, Level, Unit
from caunoi.testing import make_unit, vn_province

pytestmark = pytest.mark.usefixtures("english")

FORM = {"effective_date": "01/07/2025", "decision_number": "1676/NQ-UBTVQH15"}
WARDS = [("Xã Đồng Xuân", 8119), ("Xã Quang Minh", 8974), ("Xã Tiến Thắng", 8995)]
DATA = [vn_province("Phú Thọ", 25, WARDS)]


def _file(data=DATA):
    return SimpleUploadedFile("units.json", json.dumps(data).encode(), "application/json")


@pytest.fixture
def kim_hoa(world):
    """Xã Kim Hoa, which the 2025 reform divided between Quang Minh (the default) and Tiến
    Thắng, with two areas."""
    commune = make_unit(Kind.COMMUNE, "08977", "Xã Kim Hoa", world.district, short="Kim Hoa")
    made = [
        make_unit(Kind.AREA, f"08977-{i:02}", f"Thôn {i}", commune, area_type=AreaType.THON)
        for i in (2, 10)
    ]
    return commune, made


def _check(c, hooks, mapping=b"old,new\n08122,08119\n"):
    with hooks(execute=True):
        r = c.post(
            "/tinh/25/nhap/",
            {
                **FORM,
                "file": _file(),
                "mapping": SimpleUploadedFile("m.csv", mapping, "text/csv"),
                "preview": "1",
            },
        )
    assert r.status_code == 302
    return r["Location"]


@pytest.mark.django_db
def test_the_officer_reassigns_an_area_of_a_divided_commune_before_importing(
    world, kim_hoa, client_for, django_capture_on_commit_callbacks
):
    c = client_for(world.province_officer)
    url = _check(c, django_capture_on_commit_callbacks)
    page = c.get(url).content.decode()
    assert "Preview: nothing was saved" in page
    assert "Where the residential areas of divided communes go" in page
    # each area, in Vietnamese order (Thôn 2 before Thôn 10), with its default new commune
    assert page.index("Thôn 2 (08977-02)") < page.index("Thôn 10 (08977-10)")
    assert '<option value="08974" selected>Xã Quang Minh (default)</option>' in page
    assert "Xã Tiến Thắng" in page
    assert not Unit.objects.filter(code="08974").exists()  # nothing saved yet
    job = ImportJob.objects.get()
    apply_url = f"{url}ap-dung/"
    # a commune not offered for the area: refused, nothing changed
    r = c.post(apply_url, {"area-08977-02": "08119"})
    assert r.status_code == 302 and r["Location"] == url
    assert ImportJob.objects.count() == 1 and not Unit.objects.filter(code="08974").exists()
    # Thôn 10 went to Tiến Thắng; Thôn 2 stays with the default
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(apply_url, {"area-08977-02": "08974", "area-08977-10": "08995"})
    done = ImportJob.objects.exclude(pk=job.pk).get()
    assert r.status_code == 302 and r["Location"] == f"/tinh/25/nhap/{done.pk}/"
    assert done.status == ImportJob.Status.DONE and not done.dry_run
    assert bytes(done.content) == b""  # imported: the file is not kept
    thon2, thon10 = kim_hoa[1]
    thon2.refresh_from_db()
    thon10.refresh_from_db()
    assert thon2.parent.code == "08974" and thon10.parent.code == "08995"
    page = c.get(r["Location"]).content.decode()
    assert "Imported" in page and "http-equiv" not in page
    # confirming again (a second tap, the back button) gives the same import
    r = c.post(apply_url, {"area-08977-02": "08974"})
    assert r["Location"] == f"/tinh/25/nhap/{done.pk}/"
    assert ImportJob.objects.count() == 2


@pytest.mark.django_db
def test_an_import_job_is_its_province_officers_own(
    world, kim_hoa, client_for, django_capture_on_commit_callbacks
):
    from caunoi.testing import build_two_level

    url = _check(client_for(world.province_officer), django_capture_on_commit_callbacks)
    other = build_two_level(areas=1)
    # another province's officer: the job's page and its confirmation are not found
    assert client_for(other.province_officer).get(url).status_code == 404
    assert client_for(other.province_officer).get(url.replace("/25/", "/26/")).status_code == 404
    assert client_for(other.province_officer).post(f"{url}ap-dung/").status_code == 404
    # a commune officer of the province: may see the province, not import into it
    assert client_for(world.officer_a).get(url).status_code == 403
    assert client_for(world.officer_a).post(f"{url}ap-dung/").status_code == 403
    assert client_for(world.province_officer).post(url).status_code == 405
    assert not Unit.objects.filter(code="08974").exists()


def _households_file(world, rows):
    wb = openpyxl.load_workbook(io.BytesIO(areas.template_workbook(world.commune_a)))
    for row in rows:
        wb[areas.HOUSEHOLD_SHEET].append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("ho.xlsx", out.getvalue())


@pytest.mark.django_db
def test_a_large_household_list_is_imported_in_the_background(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TERRITORY_IMPORT_BACKGROUND_BYTES = 100  # every file is "large" here
    c = client_for(world.officer_a)
    url = f"/xa/{world.commune_a.code}/nhap/"
    bad = _households_file(world, [[1, "Khu 99", "", "Số 3", "Lê Văn Ba", "", 3]])
    r = c.post(url, {"file": bad})  # no worker yet: the job waits
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{url}{job.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert job.status == ImportJob.Status.WAITING and job.kind == ImportJob.Kind.AREAS
    assert '<meta http-equiv="refresh" content="3">' in page and "Refresh now" in page
    event = OutboxEvent.objects.get(topic=jobs.TOPIC)
    from caunoi.territory.tasks import run_import

    run_import.apply(args=[event.pk])  # the worker
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    page = c.get(r["Location"]).content.decode()
    assert "http-equiv" not in page and "Khu 99" in page and "Nothing was saved" in page
    assert run_import.apply(args=[event.pk]).result == {"skipped": True}  # once only
    good = _households_file(world, [[1, "Khu 3", "", "Số 3", "Lê Văn Ba", "", 3]])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"file": good})
    job = ImportJob.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    assert job.status == ImportJob.Status.DONE
    assert world.area_a1.households.filter(representative_name="Lê Văn Ba").exists()
    assert client_for(world.officer_b).get(r["Location"]).status_code == 404


@pytest.mark.django_db
def test_progress_is_shown_while_the_worker_writes(world, client_for):
    job = jobs.import_job_create  # (a job made directly, as the upload does)
    from django.db import transaction

    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=ImportJob.Kind.UNITS,
            unit=world.province,
            actor=world.province_officer,
            content=b"[]",
            options={},
        )
    from django.core.cache import cache

    cache.set(jobs._progress_key(job.pk), (400, 1200))
    page = client_for(world.province_officer).get(f"/tinh/25/nhap/{job.pk}/").content.decode()
    assert "400 of 1200 units written" in page and 'value="400"' in page


@pytest.mark.django_db
def test_a_failing_import_says_so_and_saves_nothing(world, monkeypatch, client_for):
    from django.db import transaction

    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=ImportJob.Kind.UNITS,
            unit=world.province,
            actor=world.province_officer,
            content=json.dumps(DATA).encode(),
            options={},
        )

    def boom(*a, **k):
        raise RuntimeError("database away")

    monkeypatch.setattr(jobs, "_run", boom)
    assert jobs.import_job_run(job.pk).status == ImportJob.Status.FAILED
    assert jobs.import_job_run(job.pk) is None  # finished: not run again
    page = client_for(world.province_officer).get(f"/tinh/25/nhap/{job.pk}/").content.decode()
    assert "nothing was saved" in page and "http-equiv" not in page
    assert not Unit.objects.filter(level=Level.COMMUNE, code="08974").exists()
