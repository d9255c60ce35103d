import datetime

from django.template import Context, Template
from django.utils import formats, translation


def render(src, **ctx):
    return Template(src).render(Context(ctx))


def test_vietnamese_numbers():
    assert render("{{ n|num }}", n=2328) == "2.328"
    assert render("{{ n|num }}", n=391314) == "391.314"
    assert render("{{ x|pct }}", x=0.619) == "61,9%"
    assert render("{{ x|pct }}", x=0.004) == "0,4%"
    assert render("{{ x|pct }}", x=1795 / 2900) == "61,9%"  # 61.896…: rounded, not cut
    assert render("{{ x|pct }}", x=0.99996) == "100,0%"
    assert render("{{ x|num:1 }}", x=2.25) == "2,3"
    assert render("{{ v|vnd }}", v=1250000) == "1.250.000\u00a0₫"


def test_dates_are_day_month_year_in_both_languages():
    day = datetime.date(2022, 6, 13)
    for lang in ("vi", "en"):
        with translation.override(lang):
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "13/06/2022"
            assert formats.date_format(day, "DATE_FORMAT") == "13/06/2022"
