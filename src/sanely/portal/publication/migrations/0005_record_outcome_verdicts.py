"""
A record's outcome and its targets' verdicts, for the public search; records already
published get theirs from their compiled release.
"""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from sanely.portal.publication.selectors import outcome_and_verdicts

    Record = apps.get_model("publication", "Record")
    for record in Record.objects.all().iterator():
        record.outcome, record.verdicts = outcome_and_verdicts(record.compiled)
        record.save(update_fields=["outcome", "verdicts"])


class Migration(migrations.Migration):
    dependencies = [("publication", "0004_payments_approval")]
    operations = [
        migrations.AddField(
            model_name="record",
            name="outcome",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="record",
            name="verdicts",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
