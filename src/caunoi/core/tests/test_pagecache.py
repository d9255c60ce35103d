"""Public pages from the cache (caunoi.core.pagecache): never stale after a write (the version is
bumped in the writer's transaction), a 304 for a repeat visit, a reader's own CSRF token, and
nobody signed in served from it. Runs on SQLite and on PostgreSQL."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caunoi.core import pagecache
from caunoi.territory import services as territory_services

pytestmark = pytest.mark.django_db(transaction=True)  # the versions are written at commit


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def households_shown(response) -> int:
    html = response.content.decode()
    return int(re.search(r"<dd>([\d.]+)</dd>", html).group(1).replace(".", ""))


def test_a_write_shows_on_the_next_read(world):
    url = f"/khu/{world.area_a1.code}/"
    client = Client()
    before = households_shown(client.get(url))
    with CaptureQueriesContext(connection) as hit:
        again = client.get(url)
    assert households_shown(again) == before
    assert len(hit) <= 2  # the unit and its version: the page itself came from the cache
    territory_services.household_create(
        actor=world.head_a1, area=world.area_a1, representative_name="Hộ mới", address="Số 9"
    )
    assert households_shown(client.get(url)) == before + 1
    # the commune's and the province's pages moved with it (a write below them)
    for unit in (world.commune_a, world.province):
        assert pagecache.version(unit) >= 1


def test_versions_count_ancestors_own_and_below_but_not_neighbours(world):
    units = ("area_a1", "area_a2", "commune_a", "province", "commune_b", "area_b1")
    start = {name: pagecache.version(getattr(world, name)) for name in units}

    def moved():
        return {n: pagecache.version(getattr(world, n)) - start[n] for n in units}

    with transaction.atomic():
        pagecache.bump(world.area_a1)  # an area's writes count on its commune
        pagecache.bump(world.area_a1)  # once per transaction
    assert moved() == {
        "area_a1": 1,
        "area_a2": 1,
        "commune_a": 1,
        "province": 1,
        "commune_b": 0,
        "area_b1": 0,
    }
    with transaction.atomic():
        pagecache.bump(world.province)  # a province notice: every page below it
    assert moved() == {
        "area_a1": 2,
        "area_a2": 2,
        "commune_a": 2,
        "province": 2,
        "commune_b": 1,
        "area_b1": 1,
    }


def test_a_rolled_back_write_bumps_nothing(world):
    start = pagecache.version(world.area_a1)
    with pytest.raises(RuntimeError), transaction.atomic():
        pagecache.bump(world.area_a1)
        raise RuntimeError
    assert pagecache.version(world.area_a1) == start


def test_repeat_visit_is_a_304_and_each_reader_has_their_own_token():
    from caunoi.testing import build_world

    world = build_world()
    url = f"/khu/{world.area_a1.code}/"
    one, two = Client(), Client()
    first = one.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    assert pagecache.CSRF_PLACEHOLDER.decode() not in first.content.decode()
    repeat = one.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert repeat.status_code == 304 and repeat.content == b""
    token_one = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', first.content.decode())
    other = two.get(url)
    token_two = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', other.content.decode())
    assert token_one and token_two and token_one.group(1) != token_two.group(1)
    assert other["ETag"] != first["ETag"]  # another reader's token secret
    # the cached page's token works: the language switch posts with it
    switch = Client(enforce_csrf_checks=True)
    page = switch.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page).group(1)
    answer = switch.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_signed_in_readers_are_never_served_from_the_cache(world, client):
    url = f"/khu/{world.area_a1.code}/"
    Client().get(url)  # cached for those signed out
    client.force_login(world.head_a1)
    page = client.get(url).content.decode()
    assert "/ho/" in page  # the head's own way to the household list, not the public copy


def test_documents_answer_304_too(world):
    url = f"/khu/{world.area_a1.code}/quy/ap-phich.pdf"  # the funds poster for the notice board
    client = Client()
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_phone_asking_for_gzip_gets_the_cached_page_compressed_with_its_own_token_and_nonce():
    import gzip

    from caunoi.testing import build_world

    world = build_world()
    from caunoi.outreach import services as outreach_services

    notice = outreach_services.notice_create(
        actor=world.head_a1, unit=world.area_a1, areas=[world.area_a1], title="Họp khu",
        body="Tối thứ Bảy, 19 giờ.", category="meeting",
    )  # fmt: skip
    outreach_services.notice_publish(actor=world.head_a1, notice=notice)
    for url in (f"/khu/{world.area_a1.code}/", f"/thong-bao/{notice.pk}/"):
        plain = Client().get(url)  # fills the cache (and is the page as it was rendered)
        readers = [Client(HTTP_ACCEPT_ENCODING="gzip, deflate") for _i in range(2)]
        answers = [c.get(url) for c in readers]
        pages = []
        for answer in answers:
            assert answer.status_code == 200 and answer["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in answer["Vary"] and answer["ETag"].startswith('W/"')
            html = gzip.decompress(answer.content).decode()
            assert "__caunoi_" not in html
            nonce = re.search(r"'nonce-([^']+)'", answer["Content-Security-Policy"]).group(1)
            # every inline line carries this answer's nonce, not the first reader's
            assert re.findall(r'nonce="([^"]+)"', html) == [nonce] * html.count('nonce="')
            pages.append(html)
        tokens = [re.search(r'csrfmiddlewaretoken" value="(\w+)"', p).group(1) for p in pages]
        assert tokens[0] != tokens[1]
        # the same page as without compression, but for the token and the nonce
        strip = re.compile(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+"')
        assert strip.sub("", pages[0]) == strip.sub("", plain.content.decode())
        repeat = readers[0].get(url, HTTP_IF_NONE_MATCH=answers[0]["ETag"])
        assert repeat.status_code == 304


def test_a_hit_is_answered_before_the_stack_with_the_stacks_headers_and_its_own_nonce(world):
    """The page kept by the middleware: one query (the unit's path and version), and the answer
    carries what the middleware below it added when the page was made (language, frame options,
    CSP, Permissions-Policy), with this answer's nonce."""
    url = f"/khu/{world.area_a1.code}/"
    made = Client().get(url)
    with CaptureQueriesContext(connection) as hit:
        again = Client().get(url)
    assert len(hit) == 1
    assert again.content.decode().count("__caunoi_") == 0
    for name in ("Content-Language", "X-Frame-Options", "Permissions-Policy"):
        assert again[name] == made[name], name
    assert "Accept-Language" in again["Vary"] and "Cookie" in again["Vary"]
    nonces = [re.search(r"'nonce-([^']+)'", r["Content-Security-Policy"]).group(1)
              for r in (made, again)]  # fmt: skip
    assert nonces[0] != nonces[1]
    assert set(re.findall(r'nonce="([^"]+)"', again.content.decode())) <= {nonces[1]}
    assert again.cookies["csrftoken"].value  # a new reader gets their CSRF cookie


def test_a_reader_keeps_their_csrf_secret_and_the_token_posts(world):
    url = f"/khu/{world.area_a1.code}/"
    Client().get(url)  # kept
    reader = Client(enforce_csrf_checks=True)
    first = reader.get(url)
    secret = first.cookies["csrftoken"].value
    again = reader.get(url)  # from the cache, with the cookie
    assert again.cookies["csrftoken"].value == secret  # renewed, not replaced
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', again.content.decode())
    assert token and len(token.group(1)) == 64
    answer = reader.post("/i18n/setlang/", {"language": "vi", "csrfmiddlewaretoken": token[1]})
    assert answer.status_code == 302
    assert reader.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_each_language_has_its_own_copy(world):
    url = f"/khu/{world.area_a1.code}/"
    vi = Client().get(url)
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    en = english.get(url)
    assert (vi["Content-Language"], en["Content-Language"]) == ("vi", "en")
    assert en.content != vi.content and en["ETag"] != vi["ETag"]
    assert (
        "Head of the residential area"
        in Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    )
    english.cookies["caunoi_language"] = "vi"  # the cookie wins, as in LocaleMiddleware
    assert english.get(url)["Content-Language"] == "vi"


def test_a_unit_moved_in_the_tree_is_read_again(world):
    """The route from an address to its unit is checked against the unit's path on each hit."""
    from caunoi.territory.models import Unit

    url = f"/khu/{world.area_a1.code}/"
    Client().get(url)
    old = world.area_a1.path
    Unit.objects.filter(pk=world.area_a1.pk).update(path=old.replace("/", "/9", 1))  # no bump
    with CaptureQueriesContext(connection) as moved:
        Client().get(url)
    assert len(moved) > 1  # through the view, not the kept copy
    Unit.objects.filter(pk=world.area_a1.pk).update(path=old)


# --- signed-in pages (`@reader_page`): kept per session ------------------------------------------


def own_parts_out(html: bytes) -> bytes:
    """The page less what is drawn anew for each answer (the CSP nonce, the CSRF token)."""
    html = re.sub(rb'nonce="[^"]+"', b'nonce=""', html)
    return re.sub(rb'(name="csrfmiddlewaretoken" value=")[^"]+', rb"\1", html)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)  # a real session row, as signing in makes
    return client


def test_a_signed_in_home_is_kept_for_its_session_and_read_in_one_query(world):
    client = signed_in(world.resident_a1)
    first = client.get("/")
    assert "Bùi Thị Thảo" in first.content.decode()
    with CaptureQueriesContext(connection) as hit:
        again = client.get("/")
    assert len(hit) == 1  # the session, the password and the versions: one statement
    assert own_parts_out(again.content) == own_parts_out(first.content)
    assert again["Cache-Control"] == "private, no-cache"
    assert "Cookie" in again["Vary"]


def test_each_session_has_its_own_copy(world):
    head, resident = signed_in(world.head_a1), signed_in(world.resident_a1)
    for _ in range(2):
        assert "Hoàng Văn Sơn" in head.get("/").content.decode()
        page = resident.get("/").content.decode()
        assert "Bùi Thị Thảo" in page and "Hoàng Văn Sơn" not in page
    # a cookie naming a session that is not the kept one's is never answered with it
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert "Bùi Thị Thảo" not in other.get("/").content.decode()


def test_a_session_ended_or_a_new_password_is_not_answered_from_the_copy(world):
    from django.contrib.sessions.models import Session

    client = signed_in(world.head_a1)
    client.get("/viec/")
    assert client.get("/viec/").status_code == 200  # kept
    Session.objects.all().delete()  # signed out elsewhere (or expired and cleared)
    assert client.get("/viec/").status_code == 302  # to sign in, not the kept inbox
    client = signed_in(world.officer_a)
    assert "Lê Thị Nhung" in client.get("/").content.decode()
    client.get("/")
    world.officer_a.set_password("another-horse-battery")
    world.officer_a.save()  # every session of hers ends (Django's session hash)
    assert "Lê Thị Nhung" not in client.get("/").content.decode()


def test_a_message_waiting_is_shown(world):
    """A message (its cookie; one too long for it overflows into the session, with the cookie
    marking it) is never lost behind a kept page."""
    from types import SimpleNamespace

    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client = signed_in(world.resident_a1)
    client.get("/")
    client.get("/")  # kept
    storage = CookieStorage(SimpleNamespace(COOKIES={}))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Đã lưu.")])
    assert "Đã lưu." in client.get("/").content.decode()
    assert "Đã lưu." not in client.get("/").content.decode()  # shown once


def test_a_changed_session_is_read_again(world):
    from django.contrib.sessions.backends.db import SessionStore

    client = signed_in(world.resident_a1)
    client.get("/")
    store = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    store["seen"] = 1
    store.save()
    with CaptureQueriesContext(connection) as miss:
        client.get("/")
    assert len(miss) > 1


def test_a_write_by_someone_else_on_the_readers_area_shows(world):
    client = signed_in(world.head_a1)
    before = own_parts_out(client.get("/viec/").content)
    assert own_parts_out(client.get("/viec/").content) == before
    with transaction.atomic():
        pagecache.bump(world.area_a1)
    with CaptureQueriesContext(connection) as miss:
        client.get("/viec/")
    assert len(miss) > 1  # read again through the view
    with transaction.atomic():
        pagecache.bump(world.area_b1)  # a neighbour commune's write keeps the copy
    with CaptureQueriesContext(connection) as hit:
        client.get("/viec/")
    assert len(hit) == 1
