"""
The demo's procurement designs are data files (demo/designs/<reference>.json): each is a body the
design API accepts, with the keys of its phases, targets and instalments, and test fixtures
load them instead of copying them.
"""

import json

import pytest

from sanely.portal.demo.procurements import DESIGNS, PROCUREMENTS
from sanely.portal.procurements.design import PhasesSection, parse_sections

FILES = sorted(DESIGNS.glob("*.json"))


def test_each_demo_procurement_has_its_design_file_and_no_file_is_left_over():
    assert sorted(p.reference for p in PROCUREMENTS) == [path.stem for path in FILES]


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_design_file_is_valid_for_the_design_api_with_every_key_given(path):
    parsed = parse_sections(json.loads(path.read_text()))  # raises naming every bad field
    phases = parsed["phases"]
    assert isinstance(phases, PhasesSection)
    keys = [item.key for _, item in phases.keyed()]
    assert all(keys), f"{path.name}: give every phase, target and instalment its key"
    assert len(keys) == len(set(keys))
