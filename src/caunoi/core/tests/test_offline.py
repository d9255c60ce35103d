"""The progressive layer's server side: the service worker from the root, the list of what waits,
the manifest and its icon, and pages that work the same without any of it."""

import json

from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image


def test_the_service_worker_is_served_from_the_root(client):
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/" and r["Cache-Control"] == "no-cache"
    body = r.content.decode()
    assert "submission" in body and "indexedDB" in body
    assert len(r.content) < 10_000  # a few kilobytes of our own
    assert client.post("/sw.js").status_code == 405


def test_signed_in_pages_carry_the_manifest_and_the_page_script(world, client_for):
    page = client_for(world.head_a1).get("/").content.decode()
    assert 'rel="manifest"' in page and "caunoi-offline.js" in page
    assert "<script>" not in page  # no inline script: CSP script-src 'self' holds
    anonymous = Client().get("/").content.decode()
    assert "caunoi-offline.js" not in anonymous  # residents' first load stays as it was


def test_the_manifest_has_an_icon():
    manifest = json.loads(open(finders.find("manifest.webmanifest"), encoding="utf-8").read())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        size = int(icon["sizes"].split("x")[0])
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert Image.open(path).size == (size, size)
    script = finders.find("js/caunoi-offline.js")
    assert len(open(script, "rb").read()) < 6_000


def test_the_waiting_list_is_for_the_signed_in(world, client_for):
    assert Client().get("/cho-gui/").status_code == 302
    page = client_for(world.head_a1).get("/cho-gui/").content.decode()
    assert 'id="outbox-list"' in page and "<noscript>" in page
