"""The read replica (`caunoi.core.replica`): configured by DATABASE_REPLICA_URL, it receives the
reports' reads and nothing else; every write, and every read outside the reports, stays on the
primary."""

import json

from django.conf import settings

from caunoi.core.replica import ReplicaRouter, reads_from_replica, replica_reads
from caunoi.reports import views as report_views
from caunoi.territory.models import Unit
from test_settings import _manage

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({a: [d['NAME'], d['HOST'], d.get('TEST', {}).get('MIRROR')] "
    "for a, d in s.DATABASES.items()} | {'routers': s.DATABASE_ROUTERS}))"
)


def test_the_replica_url_adds_an_alias_and_the_router():
    out = _manage(
        "shell", "-c", SHOW,
        env_extra={
            "DATABASE_URL": "postgres://caunoi@db1:5432/caunoi",
            "DATABASE_REPLICA_URL": "postgres://caunoi@db2:5432/caunoi",
        },
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    dbs = json.loads(out.stdout.strip().splitlines()[-1])
    assert dbs["default"][:2] == ["caunoi", "db1"]
    assert dbs["replica"] == ["caunoi", "db2", "default"]  # tests read the primary through it
    assert dbs["routers"] == ["caunoi.core.replica.ReplicaRouter"]
    out = _manage("shell", "-c", SHOW, env_extra={"DATABASE_URL": "postgres://caunoi@db1/c"})
    dbs = json.loads(out.stdout.strip().splitlines()[-1])
    assert "replica" not in dbs and dbs["routers"] == []


def test_only_reads_inside_the_block_go_to_the_replica(monkeypatch):
    router = ReplicaRouter()
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert router.db_for_read(Unit) is None  # the default database
    with replica_reads():
        assert router.db_for_read(Unit) == "replica"
        assert router.db_for_write(Unit) == "default"
    assert router.db_for_read(Unit) is None
    assert reads_from_replica(lambda: router.db_for_read(Unit))() == "replica"
    assert router.allow_migrate("default", "territory") and not router.allow_migrate("replica", "x")


def test_without_a_replica_the_block_reads_the_primary():
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert ReplicaRouter().db_for_read(Unit) is None


def test_the_reports_read_from_the_replica():
    for view in (report_views.report, report_views.report_xlsx, report_views.report_pdf):
        inner = view
        while hasattr(inner, "__wrapped__"):
            if inner.__code__ is reads_from_replica(lambda: None).__code__:
                break
            inner = inner.__wrapped__
        assert inner.__code__ is reads_from_replica(lambda: None).__code__, view
