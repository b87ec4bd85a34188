from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_releases_are_final")]
    operations = [
        migrations.AddField(
            model_name="release", name="omitted", field=models.JSONField(default=dict)
        ),
        migrations.AddField(model_name="fact", name="notice", field=models.JSONField(default=dict)),
    ]
