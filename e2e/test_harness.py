"""The harness's checks can fail: a page with planted faults must trip each one."""

import pytest
from harness import check_axe, check_layout

pytestmark = pytest.mark.browser

BAD_PAGE = """<!doctype html><html lang="vi"><head><title>Hỏng</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<main>{}</main></body></html>"""


@pytest.fixture
def blank(browser):
    from conftest import PHONE

    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('<div style="width:500px">rộng quá</div>', "horizontal scroll"),
        ('<p style="font-size:12px">chữ nhỏ</p>', "text under 16px"),
        ('<button style="font-size:16px;padding:0;height:30px">Gửi</button>', "targets under 44px"),
        ('<p><a href="/">Một mình</a></p>', "targets under 44px"),
    ],
    ids=["scroll", "small-text", "small-button", "small-standalone-link"],
)
def test_layout_check_fails_on_planted_faults(blank, body, complaint):
    blank.set_content(BAD_PAGE.format(body))
    with pytest.raises(AssertionError, match=complaint):
        check_layout(blank, "planted")


def test_axe_check_fails_on_planted_faults(blank):
    blank.set_content(BAD_PAGE.format('<img src="x.png"><button></button>'))
    with pytest.raises(AssertionError) as failure:
        check_axe(blank, "planted")
    assert "image-alt" in str(failure.value)
    assert "button-name" in str(failure.value)


def test_clean_page_passes(blank):
    blank.set_content(BAD_PAGE.format('<h1>Ổn</h1><p style="font-size:18px">Chữ đủ lớn.</p>'))
    check_axe(blank, "clean")
    check_layout(blank, "clean")
