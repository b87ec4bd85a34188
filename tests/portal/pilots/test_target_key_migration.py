"""
The data migrations that gave stored designs their keys and turned each assessment's index path
into the key of the target it named, run on rows shaped as the previous code stored them.
"""

from importlib import import_module

import pytest
from cast import NOW
from competition import procurement_at
from django.apps import apps

from sanely.portal.accounts.models import Role
from sanely.portal.pilots.models import OutcomeAssessment
from sanely.portal.procurements.models import Procurement

pytestmark = pytest.mark.django_db

assign_keys = import_module("sanely.portal.procurements.migrations.0002_design_keys").assign_keys
paths_to_keys = import_module("sanely.portal.pilots.migrations.0003_target_key").paths_to_keys


def target(metric):
    return {"metric": metric, "comparator": ">=", "threshold": "1"}


# As stored before keys: one target already has one (a key is kept, never replaced).
PHASES = {
    "items": [
        {"name": "Design", "targets": [target("Interviews")], "instalments": [{"amount": "1"}]},
        {"name": "Pilot", "targets": [target("Bookings"), {**target("Waits"), "key": "waits"}]},
    ]
}


def assessment(wessex, procurement, path):
    return OutcomeAssessment.objects.create(
        organisation=wessex.organisation,
        title=path,
        procurement=procurement,
        target_key=path,
        requested_by=wessex.user(Role.COMMISSIONER),
        requested_at=NOW,
        queued_at=NOW,
        data_file="x.csv",
        data_name="x.csv",
        data_size=1,
        data_sha256="0" * 64,
        spec={},
    )


def test_stored_designs_get_unique_keys_and_index_paths_become_those_keys(wessex):
    procurement = procurement_at(wessex, "drafting", design={"phases": PHASES})
    bare = procurement_at(wessex, "drafting", reference="IP-2026-BARE", design={})
    paths = [
        "phases.items[1].targets[0]",
        "phases.items[1].targets[1]",
        "phases.items[2].targets[0]",
    ]
    linked = [assessment(wessex, procurement, path) for path in paths]
    unlinked = assessment(wessex, None, "")

    assign_keys(apps, None)
    design = Procurement.objects.get(pk=procurement.pk).design
    pilot = design["phases"]["items"][1]
    keys = [
        design["phases"]["items"][0]["key"],
        pilot["key"],
        design["phases"]["items"][0]["targets"][0]["key"],
        design["phases"]["items"][0]["instalments"][0]["key"],
        pilot["targets"][0]["key"],
        pilot["targets"][1]["key"],
    ]
    assert all(keys)
    assert len(keys) == len(set(keys))
    assert "waits" == pilot["targets"][1]["key"]
    assert {} == Procurement.objects.get(pk=bare.pk).design
    assign_keys(apps, None)
    assert (
        design == Procurement.objects.get(pk=procurement.pk).design
    )  # a second run changes nothing

    paths_to_keys(apps, None)
    assert [pilot["targets"][0]["key"], "waits", paths[2]] == [
        OutcomeAssessment.objects.get(pk=a.pk).target_key for a in linked
    ]  # a path that named no target is kept as it was
    assert "" == OutcomeAssessment.objects.get(pk=unlinked.pk).target_key
