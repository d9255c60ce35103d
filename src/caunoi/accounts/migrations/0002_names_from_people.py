"""What the change log and Django remember under the old names gets the new ones:

* audit actions `api.token.created`/`api.token.revoked` become `accounts.api_token.created`/
  `accounts.api_token.revoked` (<app>.<entity>.<past_verb>), so the change log shows one name
  and one label per action;
* audit entries about `people.apitoken`/`people.onetimecode` objects now name `accounts.…`, so the
  change log still finds the model of their fields;
* the two content types move to the accounts app (with their permissions), rather than being left
  stale and created again."""

from django.db import migrations

from caunoi.core.migration_ops import RenameAuditActions

# Frozen here: a migration must not change when accounts/audit.py does.
ACTIONS = {
    "api.token.created": "accounts.api_token.created",
    "api.token.revoked": "accounts.api_token.revoked",
}
MODELS = ["apitoken", "onetimecode"]


def move(apps, old_app: str, new_app: str) -> None:
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        AuditEntry.objects.filter(object_type=f"{old_app}.{model}").update(
            object_type=f"{new_app}.{model}"
        )
        if not ContentType.objects.filter(app_label=new_app, model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)


def forwards(apps, schema_editor):
    move(apps, "people", "accounts")


def backwards(apps, schema_editor):
    move(apps, "accounts", "people")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0005_ratecounter"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [RenameAuditActions(ACTIONS), migrations.RunPython(forwards, backwards)]
