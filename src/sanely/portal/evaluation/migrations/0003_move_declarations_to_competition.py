"""ConflictDeclaration moved to the competition app: the table stays, only the state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("competition", "0001_initial"),
        ("evaluation", "0002_declarations_scores_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="ConflictDeclaration",
                ),
            ],
        ),
    ]
