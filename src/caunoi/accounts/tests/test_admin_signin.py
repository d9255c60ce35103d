"""The admin signs in only through the site's password sign-in: the same lock, audited (issue 13,
item 2: ten wrong admin passwords and then the right one used to sign in)."""

import pytest

from caunoi.core.models import AuditEntry
from caunoi.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PASSWORD_URL = "/dang-nhap/mat-khau/"


@pytest.fixture
def admin_user(settings):
    settings.SIGNIN_MAX_FAILURES = 5
    return Person.objects.create_superuser("quantri", "correct-horse-battery", full_name="Quản trị")


def test_admin_login_page_sends_to_the_site_sign_in(client, admin_user):
    r = client.get("/quan-tri/login/?next=/quan-tri/funds/")
    assert r.status_code == 302
    assert r["Location"] == f"{PASSWORD_URL}?next=%2Fquan-tri%2Ffunds%2F"
    assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
    # the admin's own form cannot be posted to any more
    r = client.post(
        "/quan-tri/login/", {"username": "quantri", "password": "correct-horse-battery"}
    )
    assert r.status_code == 302 and "_auth_user_id" not in client.session


def test_ten_wrong_admin_passwords_lock_the_right_one_out(client, admin_user):
    for _ in range(10):
        client.post("/quan-tri/login/", {"username": "quantri", "password": "nope"})
        client.post(PASSWORD_URL, {"username": "quantri", "password": "nope"})
    r = client.post(PASSWORD_URL, {"username": "quantri", "password": "correct-horse-battery"})
    assert "Try again in" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action="accounts.account.locked", object_id=str(admin_user.pk)
    ).exists()


def test_admin_sign_in_is_audited(client, admin_user, world):
    r = client.post(
        f"{PASSWORD_URL}?next=/quan-tri/",
        {"username": "quantri", "password": "correct-horse-battery"},
    )
    assert r.status_code == 302 and r["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.staff.signed_in")
    assert entry.actor == admin_user
    # an ordinary official's sign-in is not an admin's
    client.post("/dang-xuat/")
    client.post(PASSWORD_URL, {"username": "xa_a", "password": "correct-horse-battery"})
    assert AuditEntry.objects.filter(action="accounts.staff.signed_in").count() == 1
