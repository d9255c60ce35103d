"""Steady under load: the locust scenario (benchmarks/locustfile.py) against gunicorn on the demo,
then every write accounted for: `python benchmarks/steady.py [--users 200] [--seconds 60]`.

Uses the database of `make bench-load` (var/bench-load/ for SQLite, BENCH_DATABASE_URL with
`--db postgres`). Residents read public pages, ask questions (Open311), acknowledge, signed in,
the notices sent to their household ("Got it") and answer the commune's open survey with their
household's one-time code; heads report progress and record contributions; officers list tasks
and export the head register. Afterwards the new questions, progress reports, ledger entries,
acknowledgements (one per household and notice, however often it was tapped) and survey answers
(one per code: a response, a ballot and the code used, never two) in the database must equal
what the clients were told was saved, and the fund's hash chain must verify. Exit status 1 on
any failed request or any difference. Another SQLite bench directory may be given in
BENCH_VAR_DIR (a tiny smoke run: `HOUSEHOLDS=1 BENCH_AREAS=1`).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
PORT = int(os.environ.get("BENCH_PORT", "8181"))


def _campaign(commune):
    """The demo's open survey of the commune (surveys/demo.py), answered with one-time codes."""
    from caunoi.surveys.models import Campaign

    return Campaign.objects.filter(unit=commune).order_by("-start", "-pk").first()


def _counts(khu, fund) -> dict[str, int]:
    from caunoi.directives.models import Report
    from caunoi.feedback.models import Request
    from caunoi.outreach.models import Acknowledgement

    counts = {
        "questions": Request.objects.filter(area=khu).count(),
        "progress": Report.objects.filter(assignment__area=khu, kind="progress").count(),
        "contributions": fund.entries.count(),
        "acknowledgements": Acknowledgement.objects.filter(area=khu).count(),
    }
    campaign = _campaign(khu.parent)
    if campaign is not None:  # one answer each: a response, a ballot, its code used
        counts["survey answers"] = campaign.responses.filter(channel="online").count()
        counts["survey ballots"] = campaign.ballots.count()
        counts["survey codes used"] = campaign.invitations.filter(used=True).count()
    return counts


def _survey_codes(commune, n: int = 400) -> list[str]:
    """One-time codes of the commune's open survey for up to `n` households that have not
    answered, area by area (issued as a head prints the slips)."""
    from caunoi.surveys import services as surveys

    campaign = _campaign(commune)
    if campaign is None or not campaign.is_open(datetime.date.today()):
        return []
    codes: list[str] = []
    from caunoi.territory.models import Level

    for area in commune.children.filter(level=Level.AREA).order_by("code"):
        if len(codes) >= n:
            break
        codes += [code for _h, code in surveys.invitations_issue(
            actor=None, campaign=campaign, area=area)]  # fmt: skip
    return codes[:n]


def _residents(khu, n: int = 20) -> list[dict]:
    """Up to `n` households of the area whose representative signs in as a resident (made here
    when the demo has none), each with the notices sent to it that it has not acknowledged."""
    from caunoi.outreach.models import Channel, Delivery
    from caunoi.people import services as people
    from caunoi.people.models import Mandate, Role

    out = []
    for i, household in enumerate(khu.households.order_by("pk")[:n]):
        mandate = Mandate.objects.filter(household=household, role=Role.RESIDENT).first()
        if mandate is None:
            person = people.person_get_or_create_by_phone(
                actor=None, phone=f"09139{i:05}", full_name=household.representative_name
            )
            mandate = people.mandate_create(
                actor=None, person=person, role=Role.RESIDENT, unit=khu,
                start=datetime.date.today(), household=household,
            )  # fmt: skip
        notices = list(
            Delivery.objects.filter(household=household, channel=Channel.WEB)
            .exclude(notice__acknowledgements__household=household)
            .values_list("notice_id", flat=True)
        )
        if notices:
            from load import session_cookie

            out.append(
                {"household": household.pk, "cookie": session_cookie(mandate.person),
                 "notices": notices}
            )  # fmt: skip
    return out


def child(mode: str) -> None:
    import run  # Django on the bench database

    run.build_demo(int(os.environ.get("HOUSEHOLDS", "20")))
    from caunoi.accounts.services import api_token_create
    from caunoi.directives.models import Assignment
    from caunoi.feedback.models import ApiClient, Category
    from caunoi.funds import selectors as funds_selectors
    from caunoi.funds.models import Fund
    from caunoi.people.models import Person
    from caunoi.territory.models import Level, Unit

    dx = Unit.objects.get(
        level=Level.COMMUNE, short_name="Đồng Xuân", parent__short_name="Thanh Ba"
    )
    khu = Unit.objects.get(level=Level.AREA, code=f"{dx.code}-01")
    fund = Fund.objects.filter(area=khu).order_by("pk").first()
    if mode == "check":
        verdict = funds_selectors.fund_verdict(fund)
        print("COUNTS " + json.dumps({**_counts(khu, fund), "chain_ok": verdict.ok}))
        return
    from load import session_cookie

    head = Person.objects.get(phone="0912000001")
    officer = Person.objects.get(username="xa.dongxuan")
    open_tasks = Assignment.objects.filter(
        area=khu, status__in=["unread", "acknowledged", "in_progress"]
    )
    if not open_tasks.exists():  # a tiny demo (BENCH_TASKS_PER_COMMUNE small): one is sent now
        from caunoi.directives import services as directives

        d = directives.directive_create(
            actor=officer, commune=dx, title="Rà soát hộ nghèo (tải thử)", body="Lập danh sách.",
            category="social", due_date=datetime.date.today() + datetime.timedelta(days=30),
            areas=[khu],
        )  # fmt: skip
        directives.directive_send(actor=officer, directive=d, reason="tải thử")
    assert ApiClient.objects.exists()
    config = {
        "public": [
            f"/khu/{khu.code}/",
            f"/xa/{dx.code}/",
            f"/khu/{khu.code}/quy/{fund.pk}/",
            f"/xa/{dx.code}/cau-hoi-thuong-gap/",
        ],
        "open311_key": "demo-open311-dong-xuan",
        "service_code": Category.objects.filter(commune=dx).values_list("code", flat=True)[0],
        "area": khu.code,
        "head_token": api_token_create(actor=None, person=head, name="locust")[1],
        "officer_token": api_token_create(actor=None, person=officer, name="locust")[1],
        "officer_cookie": session_cookie(officer),
        "assignments": list(
            Assignment.objects.filter(
                area=khu, status__in=["unread", "acknowledged", "in_progress"]
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        ),
        "fund": fund.pk,
        "households": list(khu.households.values_list("code", flat=True)[:10]),
        "today": datetime.date.today().isoformat(),
        "commune": dx.code,
        "export": f"/xa/{dx.code}/truong-khu.xlsx",
        "residents": _residents(khu),
        "survey_codes": _survey_codes(dx),
        "before": _counts(khu, fund),
    }
    print("CONFIG " + json.dumps(config))


def _child(mode: str, env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stdout[-2000:] + done.stderr[-3000:])
    tag = "CONFIG " if mode == "prepare" else "COUNTS "
    return json.loads(next(x for x in done.stdout.splitlines() if x.startswith(tag))[len(tag) :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["prepare", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import load
    import pages

    env = load.bench_env(args.db)
    config = _child("prepare", env)
    if not config["assignments"]:
        raise SystemExit("The demo head has no open task to report on.")
    work = Path(tempfile.mkdtemp(prefix="caunoi-steady-"))
    (work / "config.json").write_text(json.dumps(config), encoding="utf-8")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env, ALLOWED_HOSTS="127.0.0.1,localhost")
    # Every simulated resident asks through the one Open311 client key of the demo, so the
    # key's hourly limit (200, an abuse guard) would refuse the run's questions once the server
    # answers more than 200 in a minute: the load scenario is not abuse, the limit is raised.
    os.environ.setdefault("OPEN311_MAX_PER_KEY_PER_HOUR", "100000")
    server = pages.start_server(Path(env["CAUNOI_VAR_DIR"]) / "static", PORT)
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(max(1, args.users // 10)),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            env={
                **os.environ,
                "LOCUST_CONFIG": str(work / "config.json"),
                "LOCUST_RESULT": str(work / "sent.json"),
            },
            capture_output=True,
            text=True,
        )
    finally:
        pages.stop_server(server)
        os.environ.clear()
        os.environ.update(saved)
    print(run.stdout[-6000:] or run.stderr[-6000:])
    sent = json.loads((work / "sent.json").read_text(encoding="utf-8"))
    after = _child("check", env)
    ok = run.returncode == 0 and after["chain_ok"]
    print(
        f"\n{args.db}, {args.users} users for {args.seconds} s: writes the clients were told saved"
    )
    survey = ("survey answers", "survey ballots", "survey codes used")
    for kind in ("questions", "progress", "contributions", "acknowledgements", *survey):
        if kind not in after:
            continue
        stored = after[kind] - config["before"][kind]
        expected = sent.get("survey answers" if kind in survey else kind, 0)
        ok &= stored == expected
        print(
            f"  {kind:<17} sent {expected:>6}  stored {stored:>6}  "
            f"{'✔' if stored == expected else '✘'}"
        )
    print(f"  survey codes handed out: {len(config['survey_codes'])}")
    print(f"  ledger chain verifies: {'✔' if after['chain_ok'] else '✘'}")
    print(f"  locust exit status {run.returncode} (1: some requests failed)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
