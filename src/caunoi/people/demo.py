"""The demo's head register: a profile for every head (mostly older men, most of them party members,
many also party-cell secretary, as the Phú Thọ review describes), terms extended or ending soon, a
few temporary heads and vacant posts so the alerts show, and the allowance rates of Phú Thọ's
QĐ 325/2009/QĐ-UBND (the last amounts found in a public source; NQ 17/2023 amounts not found)."""

import datetime
import random

from django.utils import timezone

from caunoi.territory.models import Level, Unit

from . import policy
from .dates import add_months
from .models import AllowanceRate, HeadProfile, Mandate, Role, TermState

RATES_2009 = [  # (post, concurrent, amount): QĐ 325/2009/QĐ-UBND Phú Thọ
    ("head", False, 220_000),
    ("head", True, 340_000),
    ("deputy", False, 150_000),
]


def build(*, seed: int = 2022, log=print, today=None) -> None:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    heads = list(Mandate.objects.active().filter(role=Role.HEAD).select_related("person"))
    profiles, changed, ended = [], [], []
    for m in heads:
        secretary = rng.random() < 0.35
        party = secretary or rng.random() < 0.7
        profiles.append(
            HeadProfile(
                person=m.person,
                birth_year=today.year - max(28, min(82, int(rng.gauss(61, 8)))),
                sex="f" if rng.random() < 0.14 else "m",
                party_member=party,
                party_cell_secretary=secretary,
                front_head=rng.random() < 0.08,
                education=rng.choices(["primary", "lower", "upper"], [5, 30, 65])[0],
                qualification=rng.choices(
                    ["none", "vocational", "college", "university"], [45, 30, 12, 13]
                )[0],
                political_theory=rng.choices(["none", "so_cap", "trung_cap"], [30, 55, 15])[0],
            )
        )
        roll = rng.random()
        term_end = add_months(m.start, policy.HEAD_TERM_MONTHS.value)
        if m.person.phone == "0912000001":
            m.term_state = TermState.ELECTED
        elif roll < 0.015:
            m.term_state = TermState.TEMPORARY
        elif roll < 0.02:
            ended.append(m)
            continue
        elif term_end < today:
            m.term_state = TermState.EXTENDED
            m.extension_number = f"{rng.randrange(10, 300)}/QĐ-UBND"
            m.extension_date = term_end - datetime.timedelta(days=rng.randrange(5, 40))
            term_end = today + datetime.timedelta(days=rng.randrange(20, 400))
        else:
            m.term_state = TermState.ELECTED
        m.term_end = term_end
        changed.append(m)
    HeadProfile.objects.bulk_create(profiles, batch_size=2000)
    Mandate.objects.bulk_update(
        changed, ["term_state", "term_end", "extension_number", "extension_date"], batch_size=2000
    )
    for m in ended:  # the head left; no one elected yet
        gone = today - datetime.timedelta(days=rng.randrange(10, 150))
        m.end = max(m.start + datetime.timedelta(days=1), gone)
        m.note = "Xin thôi làm trưởng khu (demo)"
    Mandate.objects.bulk_update(ended, ["end", "note"], batch_size=2000)
    province = Unit.objects.filter(level=Level.PROVINCE).order_by("code").first()
    if province is not None:
        AllowanceRate.objects.bulk_create(
            [
                AllowanceRate(
                    province=province,
                    effective_from=datetime.date(2009, 1, 1),
                    area_category=category,
                    post=post,
                    concurrent=concurrent,
                    amount=amount,
                    basis="QĐ 325/2009/QĐ-UBND",
                )
                for post, concurrent, amount in RATES_2009
                for category in ("large", "other")
            ]
        )
    log(f"  head register: {len(profiles)} profiles, {len(ended)} posts vacant")
