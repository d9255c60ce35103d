"""Surveys in the API (/api/v1/surveys/…): the campaigns on the caller's ground and the results of
a unit within one, with the same access and small-number suppression as the pages."""

import datetime

from django.http import Http404
from ninja import Router, Schema

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.api.schemas import LEVEL_OF_NAME, LevelName
from caunoi.people import access

from . import selectors
from .models import Campaign
from .permissions import RESULTS

router = Router(tags=["surveys"])


class CampaignOut(Schema):
    id: int
    title: str
    unit_code: str
    unit_name: str
    start: datetime.date
    end: datetime.date
    target: int
    named: bool


class ChoiceOut(Schema):
    name: str
    label: str
    count: int
    share: float
    ci_low: float
    ci_high: float


class QuestionOut(Schema):
    name: str
    label: str
    total: int
    choices: list[ChoiceOut]


class ChildOut(Schema):
    code: str
    name: str
    responses: int
    suppressed: bool
    share: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    meaningful_difference: bool = False


class ResultsOut(Schema):
    campaign: int
    code: str
    name: str
    responses: int
    suppressed: bool
    questions: list[QuestionOut]
    children: list[ChildOut]


def _out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "unit_code": c.unit.code if c.unit_id else "",
        "unit_name": c.unit.name if c.unit_id else "",
        "start": c.start,
        "end": c.end,
        "target": c.target,
        "named": c.named,
    }


@router.get(
    "/campaigns",
    auth=SIGNED_IN,
    response={200: list[CampaignOut], **SIGNED_IN_ERRORS},
    summary="Survey campaigns on the caller's ground",
)
def campaigns(request):
    return [_out(c) for c in selectors.campaigns_visible(request.auth)[:200]]


@router.get(
    "/campaigns/{campaign_id}/results/{level}/{code}",
    auth=SIGNED_IN,
    response={200: ResultsOut, **SIGNED_IN_ERRORS},
    summary="Results of a unit in a campaign",
    description="Counts and shares with 95% Wilson intervals per question; per child unit the "
    "share of the first answer of the first question, marked when it differs meaningfully "
    "from the rest. Residential areas under 5 responses are suppressed.",
)
def results(request, campaign_id: int, level: LevelName, code: str):
    user = request.auth
    campaign = Campaign.objects.select_related("unit", "form").filter(pk=campaign_id).first()
    acc = access.Access.for_user(user)
    if campaign is None or not any(
        p.startswith(campaign.scope_path) or campaign.scope_path.startswith(p)
        for p in acc.paths(RESULTS)
    ):
        raise Http404
    unit = access.access_unit(user=user, level=LEVEL_OF_NAME[level], code=code, perm=RESULTS)
    if not unit.path.startswith(campaign.scope_path):
        raise Http404
    res = selectors.results(campaign, unit, lang=(request.LANGUAGE_CODE or "vi")[:2])
    return {
        "campaign": campaign.pk,
        "code": unit.code,
        "name": unit.name,
        "responses": res.total,
        "suppressed": res.suppressed,
        "questions": [
            {
                "name": q.name,
                "label": q.label,
                "total": q.total,
                "choices": [
                    {
                        "name": c.name,
                        "label": c.label,
                        "count": c.share.count,
                        "share": c.share.value,
                        "ci_low": c.share.low,
                        "ci_high": c.share.high,
                    }
                    for c in q.choices
                ],
            }
            for q in res.questions
        ],
        "children": [
            {
                "code": row.unit.code,
                "name": row.unit.name,
                "responses": row.total,
                "suppressed": row.suppressed,
                "share": row.share.value if row.share else None,
                "ci_low": row.share.low if row.share else None,
                "ci_high": row.share.high if row.share else None,
                "meaningful_difference": row.meaningful,
            }
            for row in res.children
        ],
    }
