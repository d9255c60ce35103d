"""What every page and every entry point gets from the kit's middleware (issue 13, items 9 and 10):
a Content-Security-Policy with a nonce and a Permissions-Policy on pages; NUL characters refused
in the path, the query string and any text body, before a view runs."""

import json

import pytest

from caunoi.core.middleware import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db


def test_pages_carry_csp_and_permissions_policy(client, world):
    response = client.get(f"/khu/{world.area_a1.code}/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    # a new nonce for every page
    again = client.get(f"/khu/{world.area_a1.code}/")["Content-Security-Policy"]
    assert again != csp


def test_inline_script_carries_the_pages_nonce(client):
    from django.template import engines

    html = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}"></script>'
    )  # how notice_detail.html writes its few lines
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.csp_nonce = "abc"
    assert 'nonce="abc"' in html.render({}, request)


def test_uploads_keep_their_sandbox(client, world):
    from caunoi.core.responses import UNTRUSTED_CSP, file_response

    response = file_response(iter([b"x"]), filename="a.html", content_type="text/html")
    assert response["Content-Security-Policy"] == UNTRUSTED_CSP


@pytest.mark.parametrize(
    "method,url,kwargs",
    [
        ("get", "/tim-kiem/?q=a%00b", {}),
        (
            "post",
            "/api/v1/mandates",
            {"data": json.dumps({"full_name": "A\u0000"}), "content_type": "application/json"},
        ),  # fmt: skip
        ("post", "/dang-nhap/so-dien-thoai/", {"data": {"phone": "0912\x00000001"}}),
    ],
)
def test_nul_is_refused_everywhere(client, world, method, url, kwargs):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_json_without_nul_passes(client, world):
    response = client.post(
        "/api/v1/mandates", data=json.dumps({"x": "ok"}), content_type="application/json"
    )
    assert response.status_code != 400 or "NUL" not in response.content.decode()
