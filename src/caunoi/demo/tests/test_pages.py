"""The demo as a newcomer meets it: built small, every page each demo role can reach from its home
page (following links, as a person tapping would) answers without a server error, the change logs
of the commune, district and province included."""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from caunoi.core.models import AuditEntry
from caunoi.demo import builder
from caunoi.people.models import Person
from caunoi.people.selectors import _field

HREF = re.compile(r'href="([^"#][^"]*)"')
SAME_SHAPE = 1  # pages whose addresses differ only by numbers: the first few stand for the rest
PAGES_PER_ROLE = 120
SKIP = ("/dang-xuat", "/static/", "/media/", "/admin/")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(client: Client, start: list[str]) -> dict[str, int]:
    """GET every page reachable from `start` by links (each shape of address once)."""
    seen: dict[str, int] = {}
    shapes: Counter[str] = Counter(_shape(url) for url in start)
    todo = deque(start)
    while todo and len(seen) < PAGES_PER_ROLE:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if href.startswith(SKIP) or href in seen:
                continue
            shape = _shape(parts.path)
            if shapes[shape] >= SAME_SHAPE:
                continue
            shapes[shape] += 1
            todo.append(href)
    return seen


@pytest.mark.django_db
def test_every_page_of_the_demo_answers_for_every_role():
    builder.build(households_per_area=2, log=lambda *a: None)

    # Every audited reference to a related object is its id (the change log names it by it).
    for entry in AuditEntry.objects.iterator():
        for values in (entry.before, entry.after):
            for name, value in (values or {}).items():
                field = _field(entry.object_type, name)
                if field is not None and field.many_to_one and value is not None:
                    assert isinstance(value, int), (entry.action, name, value)

    failures = []
    for _role, login in builder.DEMO_LOGINS:
        person = Person.objects.filter(username=login).first() or Person.objects.get(phone=login)
        client = Client()
        client.force_login(person)
        start = ["/"]
        for mandate in person.mandates.select_related("unit"):
            if mandate.unit is not None:
                start.append(f"/{mandate.unit.url_prefix}/{mandate.unit.code}/")
                if not mandate.unit.is_area:
                    start.append(f"/{mandate.unit.url_prefix}/{mandate.unit.code}/nhat-ky/")
        pages = _crawl(client, start)
        failures += [(login, u, s) for u, s in pages.items() if s >= 500]
        assert len(pages) > 10, login
    assert not failures
