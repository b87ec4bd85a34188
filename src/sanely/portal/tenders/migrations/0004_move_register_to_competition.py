"""Participant and Letter moved to the competition app: the table stays, only the state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("competition", "0001_initial"),
        ("tenders", "0003_letter_participant"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="letter",
                    name="procurement",
                ),
                migrations.RemoveField(
                    model_name="letter",
                    name="recipient",
                ),
                migrations.RemoveField(
                    model_name="letter",
                    name="sent_by",
                ),
                migrations.RemoveConstraint(
                    model_name="participant",
                    name="participant_unique",
                ),
                migrations.RemoveConstraint(
                    model_name="participant",
                    name="participant_standing_valid",
                ),
                migrations.DeleteModel(
                    name="Letter",
                ),
                migrations.DeleteModel(
                    name="Participant",
                ),
            ],
        ),
    ]
