"""Answers given before answers were masked had no public copy, and the public pages showed them
as written: mask them now, as a new answer is masked (the public reads only `public_answer`)."""

from django.db import migrations


def mask(apps, schema_editor):
    Request = apps.get_model("feedback", "Request")
    if not Request.objects.exclude(answer="").filter(public_answer="").exists():
        return  # a new database, or nothing to mask: no need for today's code
    # The masking is the app's own (the area's residents, the asker, e-mails, ID-card, phone and
    # house numbers); a historical copy of it would drift from what new answers get.
    from caunoi.feedback.services import public_answers_fill

    public_answers_fill()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_public_text_sources")]
    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
