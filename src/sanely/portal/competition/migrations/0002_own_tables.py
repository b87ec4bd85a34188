"""The register's tables take the competition app's names."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("competition", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="conflictdeclaration",
            table=None,
        ),
        migrations.AlterModelTable(
            name="letter",
            table=None,
        ),
        migrations.AlterModelTable(
            name="participant",
            table=None,
        ),
    ]
