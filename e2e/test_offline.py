"""The head's phone loses the signal: the pages it opened stay readable ("saved at hh:mm"), three
contributions and a task's progress filled without signal wait on the phone, and once the signal
returns each is recorded exactly once on the server. Without JavaScript nothing changes."""

import datetime
import re

import pytest
from harness import Meter, audit, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ACTIVE = "navigator.serviceWorker.getRegistration().then(r => !!(r && r.active))"


def controlled(page) -> None:
    """Wait until the service worker is active, then load the page again under it (as the next
    page a person opens is)."""
    for _ in range(100):
        if page.evaluate(ACTIVE):
            break
        page.wait_for_timeout(200)
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")


def head_with_a_task(w, title: str):
    """The Khu 1 head with a password, and a task sent to Khu 1 by its commune."""
    from caunoi.directives import services as directives
    from caunoi.directives.models import Assignment

    w.head_a1.username = "truongkhu"
    w.head_a1.set_password("correct-horse-battery")
    w.head_a1.save()
    d = directives.directive_create(
        actor=w.officer_a, commune=w.commune_a, title=title, body="Lập danh sách.",
        category="social", due_date=datetime.date.today() + datetime.timedelta(days=30),
        areas=[w.area_a1],
    )  # fmt: skip
    directives.directive_send(actor=w.officer_a, directive=d, reason="khẩn")
    return Assignment.objects.get(area=w.area_a1)


def test_three_contributions_and_a_progress_report_made_offline_arrive_once(e2e_world, new_page):
    from caunoi.directives.models import Report
    from caunoi.funds import services as funds
    from caunoi.funds.models import Contribution

    w = e2e_world
    task = head_with_a_task(w, "Rà soát hộ nghèo")
    fund = funds.fund_create(
        actor=w.head_a1, area=w.area_a1, name="Quỹ khuyến học", kind="study",
        purpose="Thưởng học sinh giỏi", bank_bin="970405", bank_name="Agribank",
        bank_account="3100205123456", bank_account_name="Hoàng Văn Sơn",
    )  # fmt: skip

    head = new_page("phone")
    sign_in(head, "truongkhu")
    form = f"/khu/{w.area_a1.code}/quy/{fund.pk}/thu/"
    progress = f"/viec/{task.pk}/tien-do/"
    # Online: the pages are opened once (the service worker keeps them).
    visit(head, form, "offline-form-online")
    controlled(head)
    for url in (form, progress, "/cho-gui/"):
        head.goto(url)
    head.context.set_offline(True)

    head.goto(progress)
    expect(head.locator(".msg.offline").first).to_contain_text(
        re.compile(r"\d\d:\d\d")
    )  # "saved on your phone at hh:mm"
    head.get_by_label(t("How far along (%)")).fill("40")
    head.get_by_role("main").get_by_role("button").last.click()
    expect(head.locator(".msg.offline").first).to_be_visible()
    for amount in ("100000", "150000", "200000"):
        head.goto(form)
        head.get_by_label(t("Household"), exact=True).fill(w.household_a1.code)
        head.get_by_label(t("Amount")).fill(amount)
        head.get_by_label(t("Date paid")).fill(datetime.date.today().isoformat())
        head.get_by_role("main").get_by_role("button").last.click()
        expect(head.get_by_role("main")).to_contain_text(
            t("No signal: kept on your phone, sent by itself when the signal returns.")
        )
    head.goto("/cho-gui/")
    expect(head.locator("#outbox-list li")).to_have_count(4)
    # each says what it is, in the page's words and the fields filled, not an address
    waiting = head.locator("#outbox-list").inner_text()
    assert f"{t('Amount')}: 150000" in waiting and f"{t('How far along (%)')}: 40" in waiting
    assert "/khu/" not in waiting and "/viec/" not in waiting and ": cash" not in waiting
    assert Contribution.objects.count() == 0 and not Report.objects.filter(percent=40).exists()

    head.context.set_offline(False)
    head.goto("/cho-gui/")
    expect(head.locator("#sent-list li")).to_have_count(4, timeout=15_000)
    expect(head.locator("#outbox-list li")).to_have_count(1)  # "Nothing."
    head.reload()  # a second flush sends nothing again
    head.wait_for_timeout(500)
    assert sorted(Contribution.objects.values_list("amount", flat=True)) == [
        100000,
        150000,
        200000,
    ]
    assert Report.objects.filter(assignment=task, percent=40).count() == 1
    audit(head, "offline-sent", budget=None)


def wire_bytes(page, url: str) -> tuple[int, list[tuple[str, int, int]]]:
    """Bytes that came over the network (headers and encoded bodies) while `url` loaded in
    `page`, the service worker's own fetches included and answers it gave from its cache not."""
    finished = []

    def keep(request):
        finished.append(request)

    page.context.on("requestfinished", keep)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.context.remove_listener("requestfinished", keep)
    parts = []
    for request in finished:
        response = request.response()
        if response is None or response.from_service_worker:
            continue  # answered by the worker from the phone (its own fetch, if any, counts)
        sizes = request.sizes()
        size = sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)
        parts.append((request.url.split("/", 3)[-1], response.status, size))
    return sum(size for *_, size in parts), parts


def test_page_weight_with_the_service_worker_and_no_script(e2e_world, new_page):
    w = e2e_world
    w.head_a1.username = "truongkhu"
    w.head_a1.set_password("correct-horse-battery")
    w.head_a1.save()
    head = new_page("phone")
    sign_in(head, "truongkhu")
    url = f"/khu/{w.area_a1.code}/"
    first = visit(head, url, "offline-area-first")  # the page script and the worker included
    controlled(head)
    head.meter = Meter.attach(head, cache=True)
    visit(head, url, "offline-area-repeat", budget=15_000)
    # The page's own meter does not see what the worker fetches for it: count the whole context
    # (the page's requests and the worker's), as the phone's radio does.
    repeat, parts = wire_bytes(head, url)
    print(f"page weight with the service worker: first {first} B, repeat {repeat} B: {parts}")
    assert repeat <= 15_000, parts
    # only the page itself went over the air: its script, style and icon came from the phone
    assert [path for path, *_ in parts] == [url.lstrip("/")], parts
    plain = new_page("phone", java_script_enabled=False)
    sign_in(plain, "truongkhu")
    plain.goto(url)
    expect(plain.get_by_role("heading", level=1)).to_contain_text("Khu 3")
    assert plain.locator("script[src$='caunoi-offline.js']").count() == 1  # there, not run


SENT = """() => new Promise(ok => { const r = indexedDB.open("caunoi", 1); r.onsuccess = () => {
  const q = r.result.transaction("sent").objectStore("sent").getAll();
  q.onsuccess = () => ok(q.result.map(i => i.why || "ok")); }; })"""


def test_a_refused_replay_says_why_and_is_sent_again_once(e2e_world, new_page):
    """Signed out while the phone waited (the session ended, the form's token with it): the
    replay is refused (403: the form's token is gone), /cho-gui/ says why in words and offers to
    send it again; after signing in, "Send again" sends it with a fresh token under the same key,
    and it is recorded once."""
    from caunoi.directives.models import Report

    task = head_with_a_task(e2e_world, "Phát quang đường làng")
    progress = f"/viec/{task.pk}/tien-do/"

    head = new_page("phone")
    sign_in(head, "truongkhu")
    head.goto(progress)
    controlled(head)
    head.goto("/cho-gui/")
    head.context.set_offline(True)
    head.goto(progress)
    head.get_by_label(t("How far along (%)")).fill("60")
    head.get_by_role("main").get_by_role("button").last.click()
    expect(head.locator(".msg.offline").first).to_be_visible()

    head.context.clear_cookies()  # the session ends while the phone waits
    head.context.set_offline(False)
    head.goto("/dang-nhap/")  # any page loaded with signal sends what waits
    for _ in range(50):
        if head.evaluate(SENT) == ["csrf"]:
            break
        head.wait_for_timeout(200)
    assert head.evaluate(SENT) == ["csrf"] and not Report.objects.filter(percent=60).exists()

    sign_in(head, "truongkhu")
    head.goto("/cho-gui/")
    refused = head.locator("#sent-list li").first
    expect(refused).to_contain_text(t("How far along (%)") + ": 60")
    expect(refused.locator(".msg-error")).to_contain_text(
        t(
            "Refused: the form had expired (a new sign-in or a long wait). Send it again: it is "
            "sent with a fresh form and still recorded only once."
        )
    )
    audit(head, "offline-refused", budget=None)
    refused.get_by_role("button", name=t("Send again")).click()
    expect(head.locator("#sent-list .msg-error")).to_have_count(0, timeout=15_000)
    assert head.evaluate(SENT) == ["ok"]
    assert Report.objects.filter(assignment=task, percent=60).count() == 1
