"""The article's survey in the demo: the 2022 evaluation campaign of Phú Thọ, 2,900 responses
(1,795 rất tốt, 1,093 hiệu quả, 12 chưa hiệu quả), at least one in each of the 2,328 areas; and an
open campaign in xã Đồng Xuân for the demo resident to answer."""

import datetime
import random

from django.utils import timezone

from caunoi.territory.models import Household, Level, Unit

from . import services
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
