"""A year of tasks for the demo communes, from 1 January to today: most communes hand out work
a week or more ahead; some (about one in seven) assign in rushed batches, several tasks to all
their heads within a day or two, two or three working days ahead. Bulk-inserted (a one-off data
load), with the lesson-5 figures each task would have had when sent (lead time, heads' open
load, bursts)."""

import datetime
import random

from django.utils import timezone

from caunoi.core.workdays import add_working_days, is_working_day, working_days_between
from caunoi.people.models import Mandate, Person, Role
from caunoi.territory import rollup
from caunoi.territory.models import Level, Unit

from . import policy
from .models import Assignment, Category, Directive, Status

TITLES = [
    ("Rà soát hộ nghèo, hộ cận nghèo năm {y}", Category.SOCIAL),
    ("Tuyên truyền phòng chống sốt xuất huyết", Category.HEALTH),
    ("Thống kê diện tích lúa vụ {s}", Category.ECONOMY),
    ("Ra quân tổng vệ sinh môi trường", Category.CAMPAIGN),
    ("Kiểm tra nhà yếu trước mùa mưa bão", Category.DISASTER),
    ("Vận động đóng góp Quỹ vì người nghèo", Category.CAMPAIGN),
    ("Cập nhật danh sách người cao tuổi", Category.SOCIAL),
    ("Tuyên truyền bảo hiểm y tế hộ gia đình", Category.HEALTH),
    ("Rà soát đối tượng nghĩa vụ quân sự", Category.SECURITY),
    ("Tổng hợp ý kiến về dự thảo quy hoạch xã", Category.ADMIN),
    ("Điều tra biến động dân số", Category.STATISTICS),
    ("Họp khu dân cư triển khai nghị quyết", Category.ADMIN),
    ("Phòng chống cháy nổ khu dân cư", Category.SECURITY),
    ("Tiêm chủng mở rộng cho trẻ em", Category.HEALTH),
]
DEMO_NUMBER = "{n}/UBND-VP"


def _title(rng, day):
    text, category = rng.choice(TITLES)
    return text.format(y=day.year, s="chiêm xuân" if day.month < 7 else "mùa"), category


def _working_morning(rng, day, tz):
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(
        day, datetime.time(rng.randrange(7, 17), rng.randrange(60)), tz
    )


def build(*, seed: int = 2022, per_commune: int = 50, log=print, today=None) -> int:
    """Make the tasks; returns how many assignments were made."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime.date(today.year, 1, 1)
    span = (today - start).days
    if span < 14:  # early January: take the last year's worth
        start, span = today - datetime.timedelta(days=365), 365
    communes = list(
        Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).order_by("code")
    )
    areas_by_commune: dict[int, list[Unit]] = {}
    for a in Unit.objects.filter(level=Level.AREA, valid_to__isnull=True).order_by("code"):
        if a.parent_id is not None:
            areas_by_commune.setdefault(a.parent_id, []).append(a)
    heads = dict(
        Mandate.objects.active().filter(role=Role.HEAD).values_list("unit_id", "person_id")
    )
    officer = Person.objects.filter(username="xa.dongxuan").first()
    cap, min_lead = policy.MAX_OPEN.value, policy.MIN_LEAD.value
    burst_window = datetime.timedelta(hours=policy.BURST_HOURS.value)
    now = timezone.now()

    directives: list[Directive] = []
    plans: list[tuple[Directive, datetime.datetime, list[Unit], bool]] = []
    for commune in communes:
        areas = areas_by_commune.get(commune.pk, [])
        if not areas:
            continue
        keys = rollup.commune_keys(commune)
        rushed = rng.random() < 0.15 and commune.short_name != "Đồng Xuân"
        n = max(1, int(rng.gauss(per_commune, per_commune * 0.15)))
        if rushed:  # batches: 3–5 tasks within a day or two, little warning
            sends: list[datetime.date] = []
            while len(sends) < n:
                base = start + datetime.timedelta(days=rng.randrange(span))
                for _k in range(rng.randint(3, 5)):
                    sends.append(base + datetime.timedelta(days=rng.randrange(2)))
            sends = sends[:n]
        else:
            sends = [start + datetime.timedelta(days=rng.randrange(span)) for _ in range(n)]
        for day in sorted(sends):
            sent_at = _working_morning(rng, day, tz)
            if sent_at > now:
                continue
            lead = rng.randint(1, 3) if rushed else max(1, int(rng.gauss(12, 5)))
            due = add_working_days(sent_at.date(), lead)
            title, category = _title(rng, day)
            chosen = areas if rng.random() < 0.7 else rng.sample(areas, max(1, len(areas) // 2))
            d = Directive(
                **keys,
                title=title,
                body=f"Đề nghị các trưởng khu dân cư triển khai: {title.lower()}.",
                category=category,
                source_number=DEMO_NUMBER.format(n=rng.randrange(10, 900)),
                due_date=due,
                state=Directive.State.SENT,
                all_areas=len(chosen) == len(areas),
                sent_at=sent_at,
                lead_working_days=working_days_between(sent_at.date(), due),
                created_at=sent_at,
                created_by=officer if officer and commune.short_name == "Đồng Xuân" else None,
            )
            d.below_min_lead = d.lead_working_days < min_lead
            directives.append(d)
            plans.append((d, sent_at, chosen, rushed))

    # Replay each commune's year in order: heads' open load when each task arrived, bursts, and
    # when (and whether) each head finished.
    open_until: dict[int, list[datetime.datetime | None]] = {}
    last_sent: dict[int, datetime.datetime] = {}
    assignments = []
    plans.sort(key=lambda p: p[1])
    for d, sent_at, chosen, rushed in plans:
        d.in_burst = any(
            a.pk in last_sent and sent_at - last_sent[a.pk] <= burst_window for a in chosen
        )
        due_end = datetime.datetime.combine(d.due_date, datetime.time(17), tz)
        rows = []
        for a in chosen:
            still = [t for t in open_until.get(a.pk, []) if t is None or t > sent_at]
            load = len(still)
            late_p = 0.35 if rushed else 0.1
            roll = rng.random()
            status = Status.DONE
            closed: datetime.datetime | None = None
            if roll < 0.02:
                status = Status.CANNOT
                closed = sent_at + datetime.timedelta(days=1)
            else:
                delay = rng.randint(1, 8) if rng.random() < late_p else -rng.randint(0, 3)
                closed = max(
                    sent_at + datetime.timedelta(hours=4),
                    due_end + datetime.timedelta(days=delay),
                )
                if roll > 0.97 or closed > now:
                    closed = None
            if closed is None:
                status = rng.choice(
                    [Status.UNREAD, Status.ACKNOWLEDGED, Status.IN_PROGRESS]
                    if d.due_date >= today
                    else [Status.ACKNOWLEDGED, Status.IN_PROGRESS]
                )
            still.append(closed)
            open_until[a.pk] = still
            last_sent[a.pk] = sent_at
            rows.append(
                Assignment(
                    area=a,
                    commune=d.commune,
                    path=a.path,
                    head_id=heads.get(a.pk),
                    status=status,
                    percent=100
                    if status == Status.DONE
                    else (rng.choice([20, 40, 60, 80]) if status == Status.IN_PROGRESS else 0),
                    note="Đã triển khai tới các hộ." if status == Status.DONE else "",
                    households_reached=a.household_count if status == Status.DONE else None,
                    open_before=min(load, 32000),
                    acknowledged_at=None
                    if status == Status.UNREAD
                    else sent_at + datetime.timedelta(hours=rng.randrange(1, 30)),
                    closed_at=closed,
                    updated_at=closed or sent_at,
                )
            )
        d.over_cap = any(r.open_before + 1 > cap for r in rows)
        d.recipients = len(rows)
        d.peak_open = max(r.open_before + 1 for r in rows)
        done = [r for r in rows if r.status == Status.DONE]
        d.done_count = len(done)
        d.on_time_count = sum(timezone.localtime(r.closed_at).date() <= d.due_date for r in done)
        d.cannot_count = sum(r.status == Status.CANNOT for r in rows)
        assignments.append(rows)
    Directive.objects.bulk_create(directives, batch_size=2000)
    flat = []
    for (d, _sent_at, _chosen, _rushed), rows in zip(plans, assignments, strict=True):
        for r in rows:
            r.directive_id = d.pk
            flat.append(r)
    Assignment.objects.bulk_create(flat, batch_size=5000)
    log(f"  tasks from the communes: {len(directives)} ({len(flat)} area assignments)")
    return len(flat)
