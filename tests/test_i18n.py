"""Vietnamese is complete: every string translated, placeholders kept, catalogue compiled."""

import re
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_string_is_translated_and_not_fuzzy():
    untranslated = [e.msgid for e in entries() if not e.translated()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"


def test_placeholders_survive_translation():
    wrong = []
    for e in entries():
        targets = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for target in targets:
            if sorted(set(PLACEHOLDER.findall(e.msgid))) != sorted(
                set(PLACEHOLDER.findall(target))
            ):
                wrong.append(e.msgid)
    assert not wrong, wrong


def test_compiled_catalogue_matches_the_source():
    mo = {
        (e.msgid, e.msgstr) for e in polib.mofile(str(PO.with_suffix(".mo"))) if not e.msgid_plural
    }
    po = {(e.msgid, e.msgstr) for e in entries() if not e.msgid_plural}
    assert po <= mo, "run `make messages` (locale/vi/LC_MESSAGES/django.mo is stale)"


@pytest.mark.django_db
def test_pages_speak_vietnamese_by_default_and_english_on_request(client):
    assert 'lang="vi"' in client.get("/").content.decode()
    assert "Đăng nhập" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Sign in" in page
