"""API tokens: made and revoked by the management commands (only their hash is kept, both are in
the change log), accepted as `Authorization: Bearer` until revoked or their person is switched
off, and what the accounts migrations do to what was recorded under people's names."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from caunoi.accounts.management.commands import create_api_token, revoke_api_token
from caunoi.accounts.models import ApiToken
from caunoi.accounts.services import api_token_create, token_hash
from caunoi.core.models import AuditEntry
from caunoi.people.models import Person
from caunoi.testing import bearer
from caunoi.testing import json_body as body

URL = "/api/v1/mandates"


@pytest.mark.django_db
def test_token_valid(world, client):
    token, raw = api_token_create(actor=None, person=world.officer_a, name="dashboard")
    assert token.token_hash == token_hash(raw) and raw not in token.token_hash
    response = client.get(URL, **bearer(raw))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    units = {m["unit"]["code"] for m in body(response)["items"]}
    assert units == {"08119", "08119-03"}


@pytest.mark.django_db
def test_token_revoked_or_wrong(world, client):
    token, raw = api_token_create(actor=None, person=world.officer_a, name="dashboard")
    token.revoked_at = timezone.now()
    token.save()
    for header in (raw, raw + "x", "", "cn_nope"):
        response = client.get(URL, **bearer(header))
        assert response.status_code == 401, header
    assert body(client.get(URL, **bearer("cn_nope")))["code"] == "invalid_token"
    # A wrong token is refused even alongside a valid session.
    client.force_login(world.officer_a)
    assert client.get(URL, **bearer("cn_nope")).status_code == 401
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_token_of_an_inactive_person(world, client):
    _token, raw = api_token_create(actor=None, person=world.officer_a, name="dashboard")
    Person.objects.filter(pk=world.officer_a.pk).update(is_active=False)
    assert client.get(URL, **bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_create_and_revoke_token_commands(world, client):
    out, err = io.StringIO(), io.StringIO()
    call_command(create_api_token.Command(), "xa_a", "bảng tin", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(person=world.officer_a)
    assert token.name == "bảng tin"
    assert token.token_hash == token_hash(raw)
    assert raw not in str(list(ApiToken.objects.values()))
    assert AuditEntry.objects.filter(action="accounts.api_token.created").count() == 1
    assert client.get(URL, **bearer(raw)).status_code == 200
    # By phone too.
    call_command(
        create_api_token.Command(),
        "0913 000 001",
        "second",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert world.officer_a.api_tokens.count() == 2

    call_command(revoke_api_token.Command(), "xa_a", "bảng tin", stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.api_token.revoked").count() == 1
    assert client.get(URL, **bearer(raw)).status_code == 401
    with pytest.raises(CommandError):
        call_command(revoke_api_token.Command(), "xa_a", "bảng tin", stdout=io.StringIO())
    call_command(revoke_api_token.Command(), "xa_a", "--all", stdout=io.StringIO())
    assert not world.officer_a.api_tokens.filter(revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_create_token_command_refuses(world):
    with pytest.raises(CommandError):
        call_command(create_api_token.Command(), "nobody", "x", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(create_api_token.Command(), "xa_a", "   ", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoke_command_needs_a_name_or_all_not_both(world):
    api_token_create(actor=None, person=world.officer_a, name="bảng tin")
    for args in ((), ("bảng tin", "--all")):
        with pytest.raises(CommandError):
            call_command(revoke_api_token.Command(), "xa_a", *args, stdout=io.StringIO())
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_old_object_types_in_the_change_log_are_migrated(world):
    """(The action names are checked with every other rename: tests/test_audit_renames.py.)"""
    migration = import_module("caunoi.accounts.migrations.0002_names_from_people")
    AuditEntry.objects.create(action="x.y.z", object_type="people.apitoken", object_id="old")
    entries = AuditEntry.objects.filter(object_id="old")
    migration.forwards(apps, None)
    assert list(entries.values_list("object_type", flat=True)) == ["accounts.apitoken"]
    migration.backwards(apps, None)
    assert list(entries.values_list("object_type", flat=True)) == ["people.apitoken"]
