def test_one_rounding_for_percentages_on_pages_and_in_documents():
    """Half up everywhere: 1 of 16 is 6,25 % → 6,3 (Python's format would give 6,2)."""
    from django.template import Context, Template

    from caunoi.core.money import format_percent
    from caunoi.core.official import percent_of

    assert f"{100 / 16:.1f}" == "6.2"  # what the documents' own copy printed
    assert format_percent(1 / 16) == "6,3"
    assert percent_of(1, 16) == "6,3 %" and percent_of(0, 0) == "—"
    page = Template("{% load caunoi %}{{ share|pct }}").render(Context({"share": 1 / 16}))
    assert page == "6,3%"
