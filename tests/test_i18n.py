"""Vietnamese is complete: every string translated, placeholders kept, catalogue compiled."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project catalogue, plus one per app that keeps its own (src/caunoi/<app>/locale/).
CATALOGUES = [
    ROOT / "locale/vi/LC_MESSAGES/django.po",
    *sorted(ROOT.glob("src/caunoi/*/locale/vi/LC_MESSAGES/django.po")),
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
each_catalogue = pytest.mark.parametrize(
    "po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT))
)


def entries(po_path):
    return [e for e in polib.pofile(str(po_path)) if not e.obsolete]


@each_catalogue
def test_every_string_is_translated_and_not_fuzzy(po_path):
    untranslated = [e.msgid for e in entries(po_path) if not e.translated()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"


@each_catalogue
def test_placeholders_survive_translation(po_path):
    wrong = []
    for e in entries(po_path):
        targets = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for target in targets:
            if sorted(set(PLACEHOLDER.findall(e.msgid))) != sorted(
                set(PLACEHOLDER.findall(target))
            ):
                wrong.append(e.msgid)
    assert not wrong, wrong


@each_catalogue
def test_compiled_catalogue_matches_the_source(po_path):
    mo = {
        (e.msgid, e.msgstr)
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
        if not e.msgid_plural
    }
    po = {(e.msgid, e.msgstr) for e in entries(po_path) if not e.msgid_plural}
    assert po <= mo, f"run `make messages` ({po_path.with_suffix('.mo')} is stale)"


@pytest.mark.django_db
def test_pages_speak_vietnamese_by_default_and_english_on_request(client):
    assert 'lang="vi"' in client.get("/").content.decode()
    assert "Đăng nhập" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Sign in" in page


@each_catalogue
def test_no_translation_is_shadowed_by_another_catalogue(po_path):
    """What a page shows for a msgid is what our catalogue says: Django's own catalogues (and
    apps listed earlier) win for the same msgid, so "Administration" became the admin's
    "Quản trị website" as a task category (issue 12 item 12). A word with two meanings takes a
    context (`pgettext`)."""
    from django.utils import translation

    shadowed = []
    with translation.override("vi"):
        for e in entries(po_path):
            if e.msgctxt or e.msgid_plural or not e.msgstr or "fuzzy" in e.flags:
                continue
            shown = translation.gettext(e.msgid)
            if shown != e.msgstr:
                shadowed.append((e.msgid, shown, e.msgstr))
    assert not shadowed, shadowed
