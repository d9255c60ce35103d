from caunoi.demo import builder
from caunoi.outreach.models import Acknowledgement, Notice


def test_the_demo_has_notices_in_dong_xuan(db):
    builder.build(households_per_area=5, log=lambda *a: None)
    titles = set(Notice.objects.values_list("title", flat=True))
    assert "Họp khu dân cư 6 tháng đầu năm" in titles and len(titles) == 3
    assert Acknowledgement.objects.exists()
    assert not Notice.objects.filter(deliveries__status="queued").exists()
