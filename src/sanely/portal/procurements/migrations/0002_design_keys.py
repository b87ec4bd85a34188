"""
Give every phase, target and instalment of every stored design the stable key that designs
carry from now on (design.Key). Keys already present are kept, so running it twice changes
nothing. The design-change audit events keep the designs as they were then: they are never
rewritten.
"""

import secrets

from django.db import migrations

PARTS = (("targets", "target"), ("instalments", "instalment"))


def _items(design):
    """(prefix, item) for each phase, target and instalment, in design order."""
    for phase in (design.get("phases") or {}).get("items") or []:
        yield "phase", phase
        for field, prefix in PARTS:
            for item in phase.get(field) or []:
                yield prefix, item


def _fresh_key(prefix, taken):
    while (key := f"{prefix}-{secrets.token_hex(4)}") in taken:
        pass
    return key


def assign_keys(apps, schema_editor):
    Procurement = apps.get_model("procurements", "Procurement")
    for procurement in Procurement.objects.exclude(design={}).only("pk", "design").iterator():
        items = list(_items(procurement.design))
        taken = {item["key"] for _, item in items if item.get("key")}
        missing = [(prefix, item) for prefix, item in items if not item.get("key")]
        for prefix, item in missing:
            item["key"] = _fresh_key(prefix, taken)
            taken.add(item["key"])
        if missing:
            procurement.save(update_fields=["design"])


class Migration(migrations.Migration):
    dependencies = [("procurements", "0001_initial")]

    operations = [migrations.RunPython(assign_keys, migrations.RunPython.noop)]
