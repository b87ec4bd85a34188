"""The figures behind a target's verdict, kept with its fact for the chart on the public page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("publication", "0005_record_outcome_verdicts")]
    operations = [
        migrations.AddField(
            model_name="fact",
            name="figures",
            field=models.JSONField(default=list),
        ),
    ]
