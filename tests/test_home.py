"""The signed-in home page, as each role meets it (issue 12 items 9, 11, 12): the words say what
the reader is to the place, and each app's part sits under its own heading."""

import re

import pytest

pytestmark = pytest.mark.django_db


def sections(html: str) -> dict[str, str]:
    """{h2 text: what follows it until the next h2} of the page's main."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", main, flags=re.S)
    return {re.sub(r"<[^>]+>", "", parts[i]).strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_a_residents_home_says_where_they_live_and_heads_each_part(client_for, world, english):
    page = client_for(world.resident_a1).get("/").content.decode()
    parts = sections(page)
    assert "Where you live" in parts and "Your places" not in parts
    assert "Your household" in parts["Notices"]  # the notices under their own heading
    assert "notice" not in parts.get("Community funds", "").lower()


def test_an_officials_home_keeps_your_places(client_for, world, english):
    assert "Your places" in sections(client_for(world.head_a1).get("/").content.decode())
