"""The 200-user scenario (`benchmarks/steady.py` runs it; `locust` is a dev dependency).

Residents read the public pages and ask questions (Open311), signed in acknowledge the notices
sent to their household, and answer the commune's open survey with the one-time code of their
household's slip (each code passed to one user at a time; a double tap and a second visit with a
used code must not record twice); heads report progress on their tasks
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
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"')
CODES: list[str] = list(CONFIG.get("survey_codes", []))  # slips not yet handed out
ANSWERED: set[str] = set()  # codes whose answers the server accepted (a redirect to the thanks)


@events.test_stop.add_listener
def _write_counts(**_kw):
    SENT["acknowledgements"] = len(ACKNOWLEDGED)
    SENT["survey answers"] = len(ANSWERED)
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


class SurveyResident(HttpUser):
    """A household answers the commune's survey with the code on its slip: opens /tra-loi/<code>/,
    picks an answer to every question and sends. Sometimes the send is tapped twice (the same
    one-time key: the thanks again) or the slip's link is opened again later (the page says it
    was already answered); then the user takes the next household's slip."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.code = CODES.pop() if CODES else None

    @task
    def answer(self):
        if self.code is None:
            self.client.get(random.choice(CONFIG["public"]), name="public page")
            return
        code = self.code
        page = self.client.get(f"/tra-loi/{code}/", name="survey form (code)")
        if page.status_code != 200:
            return
        if 'name="submission"' not in page.text:  # answered already: the next slip
            self.code = CODES.pop() if CODES else None
            return
        data = dict(HIDDEN.findall(page.text))
        choices: dict[str, list[str]] = {}
        for name, value in RADIO.findall(page.text):
            choices.setdefault(name, []).append(value)
        data.update({name: random.choice(values) for name, values in choices.items()})
        for _i in range(2 if random.random() < 0.3 else 1):  # a double tap: the same key
            r = self.client.post(
                f"/tra-loi/{code}/",
                data=data,
                headers={"Referer": page.url},
                allow_redirects=False,
                name="survey answer",
            )
            if r.status_code == 302 and r.headers.get("Location", "").endswith("/cam-on/"):
                ANSWERED.add(code)
        if random.random() < 0.7:
            self.code = CODES.pop() if CODES else None


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
