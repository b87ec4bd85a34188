"""Every token expires: one made to live for ever now ends a year after it was made."""

from datetime import timedelta

from django.db import migrations, models

YEAR = timedelta(days=366)


def expire_the_everlasting(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + YEAR
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_identifier_message")]

    operations = [
        migrations.RunPython(expire_the_everlasting, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
