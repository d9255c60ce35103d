from django.test import TestCase

from caunoi.outreach import services


def draft(world, actor=None, unit=None, areas=None, **fields):
    values = {
        "title": "Họp khu dân cư tháng 6",
        "body": "Mời đại diện các hộ họp lúc 19:30 ngày 13/06/2022 tại nhà văn hóa Khu 3.",
        "category": "meeting",
    }
    values.update(fields)
    unit = unit or world.area_a1
    return services.notice_create(
        actor=actor or world.head_a1, unit=unit, areas=areas or [unit], **values
    )


def publish(world, **kw):
    """Draft and publish, running what the commit hands to the workers (as a real commit does)."""
    notice = draft(world, **kw)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.notice_publish(actor=kw.get("actor") or world.head_a1, notice=notice)
