"""
A letter's `content` holds the letter as typed content (`sanely.documents`), with the facts it
held before under `facts`. Letters sent before keep their text: each paragraph of the body
becomes a paragraph block. Backwards, `content` is the facts again.
"""

from django.db import migrations

FORMAT = 1  # the format sanely.documents.to_json writes; written out so this never changes


def _document(letter):
    return {
        "format": FORMAT,
        "kind": letter.kind,
        "subject": letter.subject,
        "blocks": [{"type": "paragraph", "text": text} for text in letter.body.split("\n\n")],
        "facts": letter.content,
    }


def forwards(apps, schema_editor):
    Letter = apps.get_model("competition", "Letter")
    for letter in Letter.objects.iterator():
        if "format" not in letter.content:
            letter.content = _document(letter)
            letter.save(update_fields=["content"])


def backwards(apps, schema_editor):
    Letter = apps.get_model("competition", "Letter")
    for letter in Letter.objects.iterator():
        if "format" in letter.content:
            letter.content = letter.content["facts"]
            letter.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("competition", "0002_own_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
