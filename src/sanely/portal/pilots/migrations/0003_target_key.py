"""
An assessment names its procurement target by the target's key instead of an index path such
as `phases.items[0].targets[1]`: each stored path is replaced by the key of the target it named
(keys were given to every stored design by procurements 0002). A path that names no target of
the design is kept as it was, so nothing is lost; it names no target now either.
"""

import re

from django.db import migrations

INDEX_PATH = re.compile(r"phases\.items\[(\d+)\]\.targets\[(\d+)\]")


def _key_at(design, path):
    found = INDEX_PATH.fullmatch(path)
    if found is None:
        return None
    phase, target = (int(part) for part in found.groups())
    phases = (design.get("phases") or {}).get("items") or []
    targets = (phases[phase].get("targets") or []) if phase < len(phases) else []
    return targets[target].get("key") if target < len(targets) else None


def paths_to_keys(apps, schema_editor):
    OutcomeAssessment = apps.get_model("pilots", "OutcomeAssessment")
    linked = OutcomeAssessment.objects.exclude(procurement=None).exclude(target_key="")
    for assessment in linked.select_related("procurement").iterator():
        key = _key_at(assessment.procurement.design, assessment.target_key)
        if key:
            assessment.target_key = key
            assessment.save(update_fields=["target_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0002_procurement_target"),
        ("procurements", "0002_design_keys"),
    ]

    operations = [
        migrations.RenameField(
            model_name="outcomeassessment", old_name="target_field", new_name="target_key"
        ),
        migrations.RunPython(paths_to_keys, migrations.RunPython.noop),
    ]
