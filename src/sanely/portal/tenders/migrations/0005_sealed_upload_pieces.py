"""
Resumable uploads keep their chunks as sealed pieces and expire. Uploads begun before kept
their chunks in plaintext in a temporary folder, which the new code no longer reads: they
expire at once (their rows go at the worker's next housekeeping) and their plaintext files
on this machine are removed now.
"""

import tempfile
from pathlib import Path

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def remove_plaintext_spools(apps, schema_editor):
    ChunkedUpload = apps.get_model("tenders", "ChunkedUpload")
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / "sanely-uploads"
    for token in ChunkedUpload.objects.values_list("token", flat=True):
        (folder / f"{token}.part").unlink(missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0004_move_register_to_competition")]

    operations = [
        migrations.AddField(
            model_name="chunkedupload",
            name="pieces",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="chunkedupload",
            name="expires_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(remove_plaintext_spools, migrations.RunPython.noop),
    ]
