"""A head names a helper, on the record: confirmed with a code to the head's phone, the helper may
do exactly the kinds of work delegated, on that area only, in the period; every write is "X for
Y"; the head sees it and ends it; the commune sees the delegations."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caunoi.accounts import services
from caunoi.core.audit import acting_for
from caunoi.core.models import AuditEntry
from caunoi.directives import permissions as directive_perms
from caunoi.feedback import permissions as feedback_perms
from caunoi.feedback import services as feedback_services
from caunoi.funds import permissions as funds_perms
from caunoi.outreach import permissions as outreach_perms
from caunoi.people import access
from caunoi.people.models import Delegation, DelegationKind, Mandate, Role
from caunoi.testing import BANK, make_fund, make_person

pytestmark = pytest.mark.usefixtures("english")
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def last_code(settings, phone: str) -> str:
    lines = Path(settings.SMS_FILE_PATH).read_text(encoding="utf-8").splitlines()
    text = [json.loads(x)["text"] for x in lines if json.loads(x)["to"] == phone][-1]
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "file"
    return settings


@pytest.fixture
def daughter(world):
    return make_person("Hoàng Thị Lan", phone="0912000099", password=None)


def head_mandate(world) -> Mandate:
    return Mandate.objects.get(person=world.head_a1, role=Role.HEAD)


def delegate(world, sms, helper, kinds, *, end=NEXT_MONTH, confirm=True) -> Delegation:
    d = services.delegation_name(
        actor=world.head_a1,
        mandate=head_mandate(world),
        helper_phone=helper.phone,
        kinds=kinds,
        end=end,
    )
    if confirm:
        code = last_code(sms, world.head_a1.phone)
        services.delegation_confirm(actor=world.head_a1, delegation=d, code=code)
    return d


def fresh(person):
    """The person as a new request sees them (the access cache is per request)."""
    return type(person).objects.get(pk=person.pk)


# ----------------------------------------------------------------------------- pages


def test_the_head_names_a_helper_and_confirms_with_the_code(world, sms, daughter, client_for):
    head = client_for(world.head_a1)
    url = reverse("accounts:delegations")
    assert "Name a helper" in head.get(url).content.decode()
    r = head.post(
        url,
        {
            "helper_phone": "0912 000 099",
            "kinds": ["answers", "contributions"],
            "end": NEXT_MONTH.isoformat(),
            "submission": "s1",
        },
    )
    d = Delegation.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "accounts:delegation_confirm", args=[d.pk]
    )
    assert (d.helper, d.area, d.kinds, d.confirmed_at) == (
        daughter,
        world.area_a1,
        "answers,contributions",
        None,
    )
    confirm = reverse("accounts:delegation_confirm", args=[d.pk])
    wrong = head.post(confirm, {"code": "000000", "submission": "s2"})
    assert wrong.status_code == 200 and "alert" in wrong.content.decode()
    d.refresh_from_db()
    assert d.confirmed_at is None
    code = last_code(sms, world.head_a1.phone)
    assert head.post(confirm, {"code": code, "submission": "s3"}).status_code == 302
    d.refresh_from_db()
    assert d.confirmed_at is not None and d.is_active()
    page = head.get(url).content.decode()
    assert "Hoàng Thị Lan" in page and "End now" in page
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.delegation.named", "accounts.delegation.confirmed"} <= actions


def test_bad_input_gets_a_clear_message_and_names_nobody(world, sms, daughter, client_for):
    head = client_for(world.head_a1)
    url = reverse("accounts:delegations")
    for data, message in [
        ({"helper_phone": "0999 999 999", "kinds": ["answers"]}, "Nobody with this number"),
        ({"helper_phone": "abc", "kinds": ["answers"]}, "mobile number"),
        ({"helper_phone": world.head_a1.phone, "kinds": ["answers"]}, "other than yourself"),
        ({"helper_phone": daughter.phone, "kinds": ["approve"]}, "Select a valid choice"),
        ({"helper_phone": daughter.phone}, "Choose at least one kind"),
    ]:
        r = head.post(url, {"end": NEXT_MONTH.isoformat(), **data})
        assert r.status_code == 200 and message in r.content.decode(), message
    r = head.post(url, {"helper_phone": daughter.phone, "kinds": ["answers"], "end": TODAY})
    assert "must come after today" in r.content.decode()
    assert not Delegation.objects.exists()
    sms.OTP_RESEND_SECONDS = 60
    ok = {"helper_phone": daughter.phone, "kinds": ["answers"], "end": NEXT_MONTH}
    assert head.post(url, ok).status_code == 302
    r = head.post(url, ok)  # a second code within the minute: refused, nothing named
    assert r.status_code == 200 and "alert" in r.content.decode()
    assert Delegation.objects.count() == 1


def test_only_heads_name_helpers_and_only_their_own(world, sms, daughter, client_for):
    resident = client_for(world.resident_a1)
    r = resident.post(
        reverse("accounts:delegations"),
        {"helper_phone": daughter.phone, "kinds": ["answers"], "end": NEXT_MONTH},
    )
    assert r.status_code == 200 and "Name a helper" not in r.content.decode()
    assert not Delegation.objects.exists()
    d = delegate(world, sms, daughter, ["answers"], confirm=False)
    confirm = reverse("accounts:delegation_confirm", args=[d.pk])
    end = reverse("accounts:delegation_end", args=[d.pk])
    assert client_for(world.head_b1).get(confirm).status_code == 404
    assert client_for(world.head_b1).post(end).status_code == 404
    assert client_for(daughter).post(end).status_code == 404
    assert client_for(world.head_a1).get(end).status_code == 405


# ----------------------------------------------------------------------------- access


def test_the_helper_can_do_exactly_the_delegated_kinds_on_that_area(world, sms, daughter):
    delegate(world, sms, daughter, [DelegationKind.ANSWERS, DelegationKind.CONTRIBUTIONS])
    helper, a1 = fresh(daughter), world.area_a1
    assert access.can(helper, feedback_perms.ANSWER, a1)
    assert access.can(helper, funds_perms.CONTRIBUTE, a1)
    assert access.can(helper, access.VIEW, a1)
    for perm in (
        funds_perms.RECORD,  # expenses, income, corrections
        funds_perms.APPROVE,  # never their fund's expenses
        outreach_perms.PUBLISH,
        directive_perms.WORK,
        access.MANAGE_HOUSEHOLDS,
        access.MANAGE_MANDATES,
    ):
        assert not access.can(helper, perm, a1), perm
        with pytest.raises(PermissionDenied):
            access.check(helper, perm, a1)
    for elsewhere in (world.area_a2, world.area_b1, world.commune_a):
        assert not access.can(helper, feedback_perms.ANSWER, elsewhere)
    for elsewhere in (world.area_a2, world.area_b1, world.commune_b):
        with pytest.raises(Http404):
            access.check(helper, feedback_perms.ANSWER, elsewhere)
    assert acting_for(helper, a1) == world.head_a1
    assert acting_for(helper, world.area_a2) is None
    assert access.Access.for_user(helper).roles == set()  # the head's role is not theirs


def test_a_helper_of_one_area_gets_404_on_another(world, sms, daughter, client_for):
    delegate(world, sms, daughter, [DelegationKind.PUBLISH])
    helper = client_for(daughter)
    assert helper.get(f"/khu/{world.area_a1.code}/thong-bao/moi/").status_code == 200
    assert helper.get(f"/khu/{world.area_a2.code}/thong-bao/moi/").status_code == 404
    assert helper.get(f"/khu/{world.area_b1.code}/thong-bao/moi/").status_code == 404
    assert helper.get(f"/khu/{world.area_a1.code}/kenh/").status_code == 200  # publish's own
    # the area is on their ground (they publish there) but its households are not their work: 403
    add_household = reverse("territory:household_add", args=[world.area_a1.code])
    assert helper.get(add_household).status_code == 403


@pytest.mark.parametrize("state", ["unconfirmed", "ended", "expired", "mandate ended", "future"])
def test_an_inactive_delegation_gives_nothing(world, sms, daughter, client_for, state):
    d = delegate(world, sms, daughter, [DelegationKind.PUBLISH], confirm=state != "unconfirmed")
    if state == "ended":
        services.delegation_end(actor=world.head_a1, delegation=d)
    elif state == "expired":
        Delegation.objects.filter(pk=d.pk).update(
            start=TODAY - datetime.timedelta(days=10), end=TODAY
        )
    elif state == "mandate ended":
        Mandate.objects.filter(pk=d.mandate_id).update(end=TODAY)
    elif state == "future":
        Delegation.objects.filter(pk=d.pk).update(start=TODAY + datetime.timedelta(days=1))
    helper = fresh(daughter)
    assert not access.can(helper, outreach_perms.PUBLISH, world.area_a1)
    with pytest.raises(Http404):
        access.check(helper, outreach_perms.PUBLISH, world.area_a1)
    assert client_for(daughter).get(f"/khu/{world.area_a1.code}/thong-bao/moi/").status_code == 404


def test_the_head_ends_it_at_any_time(world, sms, daughter, client_for):
    d = delegate(world, sms, daughter, [DelegationKind.PUBLISH])
    end = reverse("accounts:delegation_end", args=[d.pk])
    assert client_for(world.head_a1).post(end, {"submission": "e1"}).status_code == 302
    d.refresh_from_db()
    assert d.ended_at is not None and d.ended_by == world.head_a1 and not d.is_active()
    assert client_for(daughter).get(f"/khu/{world.area_a1.code}/thong-bao/moi/").status_code == 404


# ----------------------------------------------------------------------------- "X for Y"


def test_the_daughter_answers_and_the_answer_says_for_the_head(world, sms, daughter, client_for):
    delegate(world, sms, daughter, [DelegationKind.ANSWERS])
    roads = feedback_services.category_create(actor=None, commune=world.commune_a, name="Đường")
    req = feedback_services.request_create(
        actor=world.resident_a1,
        area=world.area_a1,
        category=roads,
        text="Đường vào xóm bị sụt lún sau mưa.",
        public=True,
    )
    helper = client_for(daughter)
    r = helper.post(
        reverse("feedback:answer", args=[req.pk]),
        {"answer": "Khu đã báo xã, tuần sau sửa.", "public_text": req.public_text},
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="feedback.request.answered")
    assert (entry.actor, entry.on_behalf_of) == (daughter, world.head_a1)
    said = "Hoàng Thị Lan answered for the head of the residential area, Hoàng Văn Sơn"
    assert said in client_for(world.resident_a1).get(f"/hoi-dap/{req.pk}/").content.decode()
    # What the head sees was done for them, and the commune's change log: "X for Y".
    mine = client_for(world.head_a1).get(reverse("accounts:delegations")).content.decode()
    assert re.search(r"Hoàng Thị Lan:\s*<strong>Question answered</strong>", mine)
    log = client_for(world.officer_a).get(f"/xa/{world.commune_a.code}/nhat-ky/").content
    assert "Hoàng Thị Lan for Hoàng Văn Sơn" in log.decode()


def test_a_receipt_says_who_recorded_it_for_whom(world, sms, daughter, client_for):
    delegate(world, sms, daughter, [DelegationKind.CONTRIBUTIONS])
    fund = make_fund(world, **BANK, bank_account_name="Hoàng Văn Sơn")
    helper = client_for(daughter)
    url = reverse("funds:contribution_add", args=[world.area_a1.code, fund.pk])
    assert "Record a contribution" in helper.get(fund.get_absolute_url()).content.decode()
    assert "Record an expense" not in helper.get(fund.get_absolute_url()).content.decode()
    r = helper.post(
        url,
        {
            "household": world.household_a1.code,
            "amount": "100000",
            "method": "cash",
            "paid_on": TODAY.strftime("%d/%m/%Y"),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    receipt = client_for(world.resident_a1).get(r["Location"]).content.decode()
    assert "Hoàng Thị Lan for Hoàng Văn Sơn" in receipt
    pdf_url = r["Location"].rstrip("/") + "/bien-lai.pdf"
    pdf = client_for(world.resident_a1).get(pdf_url)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Hoàng Thị Lan thay Hoàng Văn Sơn" in text
    expense = reverse("funds:expense_add", args=[world.area_a1.code, fund.pk])
    assert helper.get(expense).status_code == 403


def test_the_commune_sees_the_delegations(world, sms, daughter, client_for):
    delegate(world, sms, daughter, [DelegationKind.PUBLISH])
    url = reverse("accounts:commune_delegations", args=[world.commune_a.code])
    page = client_for(world.officer_a).get(url).content.decode()
    assert "Hoàng Thị Lan" in page and "for Hoàng Văn Sơn" in page and "Active" in page
    assert client_for(world.officer_b).get(url).status_code == 404
    assert client_for(world.head_a1).get(url).status_code == 403
    assert client_for(world.officer_a).post(url).status_code == 405
