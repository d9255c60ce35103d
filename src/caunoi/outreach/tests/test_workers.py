"""Real Celery workers against the local Redis, on PostgreSQL: a worker killed in the middle of a
batch neither loses nor duplicates a message, and a broker outage loses nothing.

Run on PostgreSQL (DATABASE_URL=postgres://…) with Redis at TEST_REDIS_URL (the root conftest's
default, redis://127.0.0.1:6379/2); the markers skip them on SQLite or without Redis."""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from caunoi.core.models import OutboxEvent
from caunoi.outreach import services
from caunoi.outreach.models import Channel, Delivery
from caunoi.territory.models import Household
from caunoi.testing import celery_worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# The Redis the root conftest checks for the `redis` marker, used here as the workers' broker.
BROKER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
ROOT = Path(__file__).resolve().parents[4]
HOUSEHOLDS = 30


@pytest.fixture
def real(world, tmp_path):
    queue = f"outreach-test-{uuid.uuid4().hex[:8]}"
    env = celery_worker_env(
        tmp_path,
        queue,
        SMS_BACKEND="caunoi.outreach.tests.slow.SlowFileBackend",
        SMS_FILE_PATH=str(tmp_path / "sms.jsonl"),
        SLOW_GATEWAY_SECONDS="0.1",
        OUTBOX_LEASE_SECONDS="0",
        OUTREACH_AUDIO_ON_PUBLISH="0",  # these tests are about the messages
    )
    area = world.area_a1
    Household.objects.bulk_create(
        Household(
            area=area,
            code=f"T-{i:03}",
            address=f"Số {i}",
            representative_name=f"Hộ {i}",
            representative_phone=f"09120{i:05}",
        )
        for i in range(HOUSEHOLDS - 1)
    )
    area.household_count = HOUSEHOLDS
    area.save(update_fields=["household_count"])
    services.channel_decision_record(
        actor=world.head_a1,
        area=area,
        channel=Channel.SMS,
        decision="Biên bản họp ngày 12/03/2022",
        decided_on=datetime.date(2022, 3, 12),
    )
    notice = services.notice_create(
        actor=world.head_a1,
        unit=area,
        areas=[area],
        title="Phun thuốc muỗi",
        body="Sáng thứ bảy.",
        category="health",
    )
    procs = []

    class Real:
        pass

    r = Real()
    r.env, r.notice, r.sms = env, notice, tmp_path / "sms.jsonl"

    def worker():
        p = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "caunoi", "worker", "--pool=solo",
             "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle",
             "-l", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        procs.append(p)
        return p

    def manage(*code, **extra):
        return subprocess.run(
            [sys.executable, "manage.py", *code],
            cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    r.worker, r.manage = worker, manage
    yield r
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


PUBLISH = (
    "shell",
    "-c",
    "from caunoi.outreach import services; from caunoi.outreach.models import Notice; "
    "n = Notice.objects.get(pk={pk}); services.notice_publish(actor=n.author, notice=n)",
)


def sent_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(x)["to"] for x in path.read_text(encoding="utf-8").splitlines()]


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def sms(status=None):
    qs = Delivery.objects.filter(channel=Channel.SMS)
    return qs.filter(status=status) if status else qs


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(real):
    first = real.worker()
    result = real.manage(*PUBLISH[:2], PUBLISH[2].format(pk=real.notice.pk))
    assert result.returncode == 0, result.stderr
    assert sms().count() == HOUSEHOLDS
    assert wait_for(lambda: len(sent_lines(real.sms)) >= 8), "the first worker sent nothing"
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = len(sent_lines(real.sms))
    assert killed_at < HOUSEHOLDS, "the worker finished before it was killed; slow it down"
    assert sms(Delivery.Status.QUEUED).exists()

    real.worker()
    relay = real.manage("dispatch_outbox")  # the lease (0 s here) is over: publish again
    assert relay.returncode == 0 and "1 outbox event" in relay.stdout, relay.stdout + relay.stderr
    assert wait_for(lambda: OutboxEvent.objects.filter(done_at__isnull=False).exists())
    assert not sms(Delivery.Status.QUEUED).exists(), "messages left queued"

    phones = sent_lines(real.sms)
    assert len(phones) == len(set(phones)), "a household got the SMS twice"
    sent = set(sms(Delivery.Status.SENT).values_list("recipient", flat=True))
    stuck = set(sms(Delivery.Status.SENDING).values_list("recipient", flat=True))
    assert len(stuck) <= 1  # claimed by the killed worker: maybe sent, never resent
    assert sent <= set(phones) <= sent | stuck
    assert len(sent) + len(stuck) == HOUSEHOLDS  # nothing lost


def test_nothing_is_lost_while_the_broker_is_down(real):
    down = real.manage(
        *PUBLISH[:2],
        PUBLISH[2].format(pk=real.notice.pk),
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert down.returncode == 0, down.stderr  # publishing works without a broker
    assert sms(Delivery.Status.QUEUED).count() == HOUSEHOLDS
    event = OutboxEvent.objects.get()
    assert event.published_at is None and "Connection refused" in event.last_error
    assert sent_lines(real.sms) == []

    real.worker()
    relay = real.manage("dispatch_outbox", SLOW_GATEWAY_SECONDS="0")
    assert "1 outbox event" in relay.stdout, relay.stdout + relay.stderr
    assert wait_for(lambda: OutboxEvent.objects.filter(done_at__isnull=False).exists())
    phones = sent_lines(real.sms)
    assert len(phones) == HOUSEHOLDS == len(set(phones))
    assert sms(Delivery.Status.SENT).count() == HOUSEHOLDS


# A publisher writing notices one after another while its broker (a Redis of the test's own, on
# the helper's port, never the shared one) is killed mid-run and started again later.
PUBLISH_MANY = """
import sys, time
from caunoi.outreach import services
from caunoi.outreach.models import Notice
n = Notice.objects.get(pk={pk})
area = n.targets.get().area
for i in range({count}):
    made = services.notice_create(actor=n.author, unit=area, areas=[area], title=f"Thông báo {{i}}",
                                  body="Nội dung.", category="other")
    services.notice_publish(actor=n.author, notice=made)
    print("published", made.pk, flush=True)
    time.sleep(0.3)
"""


def _own_redis(port: int):
    p = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    assert wait_for(lambda: _pings(client), timeout=10), "the test's own Redis did not start"
    return p


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


def test_writes_under_load_survive_the_broker_stopping_and_go_out_once(real):
    """Twelve notices published in a row; the broker is killed after the third and started again
    after the seventh. Every publication succeeds (the outbox keeps what the broker could not
    take), and once the relay has run every household got each notice's SMS exactly once."""
    port = int(os.environ.get("TEST_OWN_REDIS_PORT", "8179"))
    url = f"redis://127.0.0.1:{port}/0"
    broker = _own_redis(port)
    try:
        real.env.update(CELERY_BROKER_URL=url, SLOW_GATEWAY_SECONDS="0")
        worker = real.worker()
        count = 12
        publisher = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c",
             PUBLISH_MANY.format(pk=real.notice.pk, count=count)],
            cwd=ROOT, env=real.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        published = []
        for line in publisher.stdout:
            if not line.startswith("published "):
                continue  # the shell's own words
            published.append(int(line.split()[1]))
            if len(published) == 3:
                broker.kill()  # the broker dies mid-load
                broker.wait()
            if len(published) == 7:
                broker = _own_redis(port)  # and comes back
        assert publisher.wait(timeout=120) == 0, publisher.stderr.read()
        assert len(published) == count  # no write failed while the broker was down
        failed = OutboxEvent.objects.filter(topic="outreach.dispatch", last_error__contains="Error")
        assert failed.exists()  # some could not be handed over: they waited in the outbox
        if worker.poll() is not None:  # a worker that lost its broker may exit: restarted
            real.worker()
        relay = real.manage("dispatch_outbox", CELERY_BROKER_URL=url)
        assert relay.returncode == 0, relay.stderr
        events = OutboxEvent.objects.filter(topic="outreach.dispatch")
        assert wait_for(lambda: not events.filter(done_at__isnull=True).exists(), timeout=90), list(
            events.filter(done_at__isnull=True).values("pk", "attempts", "last_error")
        )
        deliveries = Delivery.objects.filter(channel=Channel.SMS, notice_id__in=published)
        assert deliveries.count() == count * HOUSEHOLDS
        assert not deliveries.exclude(status=Delivery.Status.SENT).exists()  # none lost
        lines = [
            (x["to"], x["text"])
            for x in map(json.loads, real.sms.read_text(encoding="utf-8").splitlines())
        ]
        assert len(lines) == len(set(lines)) == count * HOUSEHOLDS  # none twice
    finally:
        broker.kill()
        broker.wait()
