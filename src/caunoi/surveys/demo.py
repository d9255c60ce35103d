"""The article's survey in the demo: the 2022 evaluation campaign of Phú Thọ, 2,900 responses
(1,795 rất tốt, 1,093 hiệu quả, 12 chưa hiệu quả), at least one in each of the 2,328 areas (so
every area is "not enough responses", as in the article); a later one, 2024, with enough
responses in every area for its results to drill down to an area; and an open campaign in xã
Đồng Xuân for the demo resident to answer."""

import datetime
import random

from django.utils import timezone

from caunoi.territory.models import Household, Level, Unit

from . import policy, services
from .models import Ballot, Channel

ARTICLE = {"rat_tot": 1795, "hieu_qua": 1093, "chua_hieu_qua": 12}
LESSONS = ["thong_bao", "cong_khai_quy", "tra_loi", "hop_chuan_bi"]


def build(*, province: Unit, rng: random.Random, log=print) -> None:
    form = services.form_builtin()
    campaign = services.campaign_create(
        actor=None,
        unit=province,
        form=form,
        title="Đánh giá hiệu quả hoạt động của trưởng khu dân cư năm 2022",
        start=datetime.date(2022, 3, 1),
        end=datetime.date(2022, 5, 31),
        target=sum(ARTICLE.values()),
    )
    areas = list(
        Unit.objects.filter(level=Level.AREA, path__startswith=province.path)
        .select_related("parent__parent")
        .order_by("code")
    )
    extra = sum(ARTICLE.values()) - len(areas)
    chosen = areas + [rng.choice(areas) for _i in range(extra)]
    ratings = [name for name, n in ARTICLE.items() for _i in range(n)]
    rng.shuffle(ratings)
    households: dict[int, list[int]] = {}
    for area_id, hh_id in (
        Household.objects.filter(area__path__startswith=province.path)
        .order_by("area_id", "code")
        .values_list("area_id", "id")
    ):
        households.setdefault(area_id, []).append(hh_id)
    everyone = {area_id: list(pool) for area_id, pool in households.items()}
    rows, keys = [], []
    for area, rating in zip(chosen, ratings, strict=True):
        answers = {"danh_gia": rating}
        good = {"rat_tot": 0.9, "hieu_qua": 0.7, "chua_hieu_qua": 0.3}[rating]
        for name in LESSONS:
            if rng.random() < 0.8:
                r = rng.random()
                answers[name] = "co" if r < good else ("mot_phan" if r < good + 0.15 else "khong")
        rows.append((area, answers))
        pool = households.get(area.pk) or []
        if pool:  # the household that answered (the first one, the demo resident's, never does)
            hh = pool.pop() if len(pool) > 1 else None
            if hh is not None:
                keys.append(services.household_key(campaign_id=campaign.pk, household_id=hh))
    services.responses_bulk(
        campaign=campaign, rows=rows, channel=Channel.PAPER, on=datetime.date(2022, 5, 31)
    )
    Ballot.objects.bulk_create([Ballot(campaign=campaign, key=k) for k in keys], batch_size=2000)
    log(f"  survey 2022: {len(rows)} responses in {len({a.pk for a in chosen})} areas")
    later(province=province, form=form, areas=areas, households=everyone, log=log)

    _open_in_dong_xuan(province=province, form=form)


LATER_SHARE = 0.06  # of an area's households answering the 2024 survey (at least the minimum)


def later(*, province: Unit, form, areas: list[Unit], households: dict[int, list[int]], log=print):
    """The 2024 evaluation: in every area about 6% of the households answer, never fewer than
    the fewest responses whose results are shown (SURVEY_MIN_RESPONSES) where the area has that
    many households, so the results show down to an area. Each area has its own quality, so
    areas differ. Its own random numbers: the rest of the demo stays as it was."""
    rng = random.Random(2024)
    campaign = services.campaign_create(
        actor=None,
        unit=province,
        form=form,
        title="Đánh giá hiệu quả hoạt động của trưởng khu dân cư năm 2024",
        start=datetime.date(2024, 3, 1),
        end=datetime.date(2024, 5, 31),
        min_per_area=policy.MIN_RESPONSES.value,
    )
    least = policy.MIN_RESPONSES.value
    rows, keys = [], []
    for area in areas:
        pool = households.get(area.pk, [])
        n = min(len(pool), max(least, round(len(pool) * LATER_SHARE)))
        quality = rng.betavariate(6, 3)  # the area's share of "rất tốt" answers, around 2/3
        for hh in rng.sample(pool, n):
            r = rng.random()
            rating = "rat_tot" if r < quality else ("hieu_qua" if r < 0.985 else "chua_hieu_qua")
            answers = {"danh_gia": rating}
            for name in LESSONS:
                a = rng.random()
                answers[name] = (
                    "co" if a < quality + 0.1 else ("mot_phan" if a < quality + 0.25 else "khong")
                )
            rows.append((area, answers))
            keys.append(services.household_key(campaign_id=campaign.pk, household_id=hh))
    services.responses_bulk(
        campaign=campaign, rows=rows, channel=Channel.PAPER, on=datetime.date(2024, 5, 31)
    )
    Ballot.objects.bulk_create([Ballot(campaign=campaign, key=k) for k in keys], batch_size=2000)
    campaign.target = len(rows)
    campaign.save(update_fields=["target"])
    log(f"  survey 2024: {len(rows)} responses, at least {least} in each area")


def _open_in_dong_xuan(*, province: Unit, form) -> None:
    dong_xuan = Unit.objects.filter(
        level=Level.COMMUNE, path__startswith=province.path, short_name="Đồng Xuân"
    ).first()
    if dong_xuan is not None:
        today = timezone.localdate()
        services.campaign_create(
            actor=None,
            unit=dong_xuan,
            form=form,
            title=f"Lấy ý kiến về trưởng khu dân cư năm {today.year}",
            start=today - datetime.timedelta(days=7),
            end=today + datetime.timedelta(days=60),
            target=100,
        )
