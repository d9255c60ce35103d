"""Notifications store what happened (a kind and its parameters) instead of a sentence written in
the language of whoever answered. Every stored notification so far said "your question #N has an
answer": it becomes kind "answered" for its request."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Notification = apps.get_model("feedback", "Notification")
    for note in Notification.objects.all().only("id", "request_id").iterator():
        Notification.objects.filter(pk=note.pk).update(
            kind="answered", params={"request": note.request_id}
        )


def backwards(apps, schema_editor):
    Notification = apps.get_model("feedback", "Notification")
    for note in Notification.objects.all().only("id", "request_id").iterator():
        Notification.objects.filter(pk=note.pk).update(
            text=f"Câu hỏi số {note.request_id} của bạn đã có câu trả lời. Đã được giải quyết chưa?"
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[("answered", "Your question has an answer")],
                default="answered",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="notification",
            name="text",
            field=models.CharField(max_length=300, default=""),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="notification", name="text"),
    ]
