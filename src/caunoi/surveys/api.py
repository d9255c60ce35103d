"""Surveys in the API (/api/v1/surveys/…): the campaigns on the caller's ground and the results of
a unit within one, with the same access and small-number suppression as the pages."""

import datetime

from ninja import Field, Router, Schema

from caunoi.api.api import SIGNED_IN, SIGNED_IN_ERRORS
from caunoi.api.schemas import LEVEL_OF_NAME, LevelName
from caunoi.core.api import ListPage, paginate

from . import policy, selectors
from .models import Campaign
from .permissions import RESULTS, access_campaign_at

router = Router(tags=["surveys"], auth=SIGNED_IN)


class CampaignOut(Schema):
    id: int
    title: str
    unit_code: str = Field(description="The territory's code; empty for the whole country.")
    unit_name: str
    start: datetime.date
    end: datetime.date
    target: int
    named: bool

    @staticmethod
    def resolve_unit_code(campaign: Campaign) -> str:
        return campaign.unit.code if campaign.unit is not None else ""

    @staticmethod
    def resolve_unit_name(campaign: Campaign) -> str:
        return campaign.unit.name if campaign.unit is not None else ""


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


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **SIGNED_IN_ERRORS},
    summary="Survey campaigns on the caller's ground",
    description="National campaigns, those in the caller's ground and those above it, newest "
    "first; a page of `items` with `count`, `limit` and `offset`.",
)
@paginate(ListPage)
def campaigns(request):
    return selectors.campaign_list(request.auth)


@router.get(
    "/campaigns/{campaign_id}/results/{level}/{code}",
    response={200: ResultsOut, **SIGNED_IN_ERRORS},
    summary="Results of a unit in a campaign",
    description="Counts and shares with 95% Wilson intervals per question; per child unit the "
    "share of the first answer of the first question, marked when it differs meaningfully "
    "from the rest. Residential areas under SURVEY_MIN_RESPONSES responses "
    f"({policy.MIN_RESPONSES.default} by default) are suppressed.",
)
def results(request, campaign_id: int, level: LevelName, code: str):
    campaign, unit = access_campaign_at(
        user=request.auth, pk=campaign_id, level=LEVEL_OF_NAME[level], code=code, perm=RESULTS
    )
    res = selectors.campaign_results(campaign, unit, lang=(request.LANGUAGE_CODE or "vi")[:2])
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
