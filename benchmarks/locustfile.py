"""The 200-user scenario (`benchmarks/steady.py` runs it; `locust` is a dev dependency).

Residents read the public pages and ask questions (Open311), and signed in acknowledge the notices
sent to their household; heads report progress on their tasks
and record contributions (API, bearer token); officers list tasks and questions and export the
head register. Every write that the server accepted is counted, and the counts are written to
LOCUST_RESULT when the run stops, for steady.py to check against the database.
"""

import json
import os
import random
import re
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

CONFIG = json.loads(open(os.environ["LOCUST_CONFIG"], encoding="utf-8").read())
SENT: Counter = Counter()
ACKNOWLEDGED: set[tuple[int, int]] = set()  # (notice, household): once each, however often tapped
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.test_stop.add_listener
def _write_counts(**_kw):
    SENT["acknowledgements"] = len(ACKNOWLEDGED)
    with open(os.environ["LOCUST_RESULT"], "w", encoding="utf-8") as out:
        json.dump(dict(SENT), out)


class Resident(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    @task(8)
    def read_public_pages(self):
        self.client.get(random.choice(CONFIG["public"]), name="public page")

    @task(1)
    def ask(self):
        r = self.client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": CONFIG["open311_key"],
                "service_code": CONFIG["service_code"],
                "attribute[area]": CONFIG["area"],
                "address_string": "Cổng nhà văn hóa",
                "description": f"Đèn đường hỏng ({uuid.uuid4().hex[:8]})",
            },
            name="Open311 ask",
        )
        if r.status_code == 201:
            SENT["questions"] += 1


class SignedInResident(HttpUser):
    """A resident signed in on their phone: opens the notices sent to the household and taps
    "Got it" (sometimes twice: it counts once)."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.me = random.choice(CONFIG["residents"]) if CONFIG["residents"] else None
        if self.me:
            name, value = self.me["cookie"].split("=", 1)
            self.client.cookies.set(name, value)

    @task
    def acknowledge(self):
        if not self.me:
            return
        notice = random.choice(self.me["notices"])
        page = self.client.get(f"/thong-bao/{notice}/", name="resident's notice")
        token = TOKEN.search(page.text)
        if page.status_code != 200 or token is None:
            return
        r = self.client.post(
            f"/thong-bao/{notice}/da-biet/",
            data={"csrfmiddlewaretoken": token.group(1), "submission": uuid.uuid4().hex},
            headers={"Referer": page.url},
            allow_redirects=False,
            name="acknowledge",
        )
        if r.status_code == 302:
            ACKNOWLEDGED.add((notice, self.me["household"]))


class Head(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {CONFIG['head_token']}"

    @task(2)
    def report_progress(self):
        pk = random.choice(CONFIG["assignments"])
        r = self.client.post(
            f"/api/v1/assignments/{pk}/progress",
            json={"percent": random.randint(10, 90), "note": "Đang làm"},
            headers={"Idempotency-Key": uuid.uuid4().hex},
            name="progress report",
        )
        if r.status_code == 200:
            SENT["progress"] += 1

    @task(1)
    def record_contribution(self):
        r = self.client.post(
            f"/api/v1/funds/{CONFIG['fund']}/contributions",
            json={
                "household": random.choice(CONFIG["households"]),
                "amount": 50_000,
                "method": "cash",
                "paid_on": CONFIG["today"],
            },
            name="contribution",
        )
        if r.status_code == 201:
            SENT["contributions"] += 1

    @task(2)
    def inbox(self):
        self.client.get("/api/v1/assignments", name="head's assignments")


class Officer(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {CONFIG['officer_token']}"

    @task(3)
    def list_tasks(self):
        self.client.get(f"/api/v1/directives?commune={CONFIG['commune']}", name="officer lists")

    @task(1)
    def export(self):
        self.client.get(
            CONFIG["export"], headers={"Cookie": CONFIG["officer_cookie"]}, name="export xlsx"
        )
