"""Outreach in the API (mounted at /api/v1/outreach/):

* `POST /sms-replies` — the SMS gateway forwards a household's reply (`{"from", "text"}`), with
  `Authorization: Bearer <SMS_INBOUND_TOKEN>`; "DB" acknowledges the notice it answers.
* `POST /sms-status` — the gateway's delivery report (`{"reference", "status": "delivered" |
  "failed", "reason"}`, same token) for a message the HTTP backend sent with that `reference`
  (`caunoi.channels.DeliveryReport`).
* `GET /notices/{id}/reach` — a notice's reach per area on the caller's ground.

The gateway's two POSTs take an `Idempotency-Key` header (`caunoi.core.api.once`): a gateway that
retries with the same key is answered as the first time, and nothing is recorded twice.
"""

import json
import secrets

from django.conf import settings
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from caunoi import channels
from caunoi.api.api import SIGNED_IN  # the API's own auth (this router is mounted at its end)
from caunoi.core.api import IdempotencyKey, once

from . import permissions as perms
from . import services


class GatewayToken(HttpBearer):
    def authenticate(self, request, token):
        expected = settings.SMS_INBOUND_TOKEN
        if not expected or not secrets.compare_digest(token, expected):
            raise AuthenticationError(message="invalid_token")
        return "sms-gateway"


class SmsReplyIn(Schema):
    sender: str = Field(alias="from", max_length=40)
    text: str = Field(max_length=1000)


class SmsReplyOut(Schema):
    acknowledged: bool
    notice: int | None = None


router = Router(tags=["outreach"])


@router.post("/sms-replies", auth=GatewayToken(), response=SmsReplyOut)
def sms_reply(request, payload: SmsReplyIn, key: IdempotencyKey = None):
    def run() -> dict:
        ack = services.acknowledgement_from_sms(phone=payload.sender, text=payload.text)
        return {"acknowledged": ack is not None, "notice": ack.notice_id if ack else None}

    return once(request, key, run, remember=json.dumps, replay=json.loads)


class SmsStatusIn(Schema):
    reference: str = Field(max_length=40)
    status: channels.ReportStatus
    reason: str = Field("", max_length=200)


class SmsStatusOut(Schema):
    updated: bool


@router.post("/sms-status", auth=GatewayToken(), response=SmsStatusOut)
def sms_status(request, payload: SmsStatusIn, key: IdempotencyKey = None):
    """The gateway's delivery report for a message sent with `reference`."""
    report = channels.DeliveryReport(
        reference=payload.reference,
        delivered=payload.status == "delivered",
        reason=payload.reason,
    )

    def run() -> dict:
        return {"updated": services.delivery_report(report=report) is not None}

    return once(request, key, run, remember=json.dumps, replay=json.loads)


class AreaReach(Schema):
    area: str
    name: str
    households: int
    acknowledged: int


class ReachOut(Schema):
    notice: int
    title: str
    households: int
    acknowledged: int
    areas: list[AreaReach]


@router.get("/notices/{pk}/reach", response=ReachOut, auth=SIGNED_IN)
def notice_reach(request, pk: int):
    notice = perms.access_notice(user=request.user, pk=pk, perm=perms.REACH)
    targets = notice.scope
    return {
        "notice": notice.pk,
        "title": notice.title,
        "households": sum(t.households for t in targets),
        "acknowledged": sum(t.acknowledged for t in targets),
        "areas": [
            {"area": t.area.code, "name": t.area.name, "households": t.households,
             "acknowledged": t.acknowledged}
            for t in targets
        ],
    }  # fmt: skip
