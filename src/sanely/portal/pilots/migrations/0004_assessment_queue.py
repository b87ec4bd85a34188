from django.db import migrations, models


def queued_when_requested(apps, schema_editor):
    OutcomeAssessment = apps.get_model("pilots", "OutcomeAssessment")
    OutcomeAssessment.objects.update(queued_at=models.F("requested_at"))


class Migration(migrations.Migration):
    dependencies = [("pilots", "0003_target_key")]

    operations = [
        migrations.AddField(
            model_name="outcomeassessment",
            name="queued_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(queued_when_requested, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outcomeassessment",
            name="queued_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="outcomeassessment",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="outcomeassessment",
            name="task_id",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
