"""The competition register takes over the tables of tenders and evaluation as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_identifier_message"),
        ("procurements", "0001_initial"),
        ("tenders", "0003_letter_participant"),
        ("evaluation", "0002_declarations_scores_moderation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConflictDeclaration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("tenderers", models.JSONField(default=list)),
                        ("conflict", models.BooleanField()),
                        ("details", models.TextField(blank=True)),
                        ("scores", models.BooleanField(default=True)),
                        ("declared_at", models.DateTimeField()),
                        (
                            "evaluator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "procurement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="procurements.procurement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "evaluation_conflictdeclaration",
                        "ordering": ["procurement_id", "evaluator_id", "declared_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Letter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=40)),
                        ("subject", models.CharField(max_length=200)),
                        ("body", models.TextField()),
                        ("content", models.JSONField(default=dict)),
                        ("sent_at", models.DateTimeField()),
                        (
                            "procurement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="letters",
                                to="procurements.procurement",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="letters",
                                to="accounts.organisation",
                            ),
                        ),
                        (
                            "sent_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tenders_letter",
                        "ordering": ["sent_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Participant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "standing",
                            models.CharField(
                                choices=[
                                    ("candidate", "Candidate"),
                                    ("not_selected", "Not selected to tender"),
                                    ("invited", "Tendering"),
                                    ("reduced", "Left out in a staged reduction"),
                                    ("rejected", "Tender rejected"),
                                    ("partner", "Partner"),
                                    ("unsuccessful", "Unsuccessful"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("reason", models.TextField(blank=True)),
                        ("changed_at", models.DateTimeField()),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="participations",
                                to="accounts.organisation",
                            ),
                        ),
                        (
                            "procurement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="participants",
                                to="procurements.procurement",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tenders_participant",
                        "ordering": ["procurement_id", "organisation__name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("procurement", "organisation"), name="participant_unique"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "standing__in",
                                        [
                                            "candidate",
                                            "not_selected",
                                            "invited",
                                            "reduced",
                                            "rejected",
                                            "partner",
                                            "unsuccessful",
                                        ],
                                    )
                                ),
                                name="participant_standing_valid",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
