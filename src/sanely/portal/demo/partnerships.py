"""
The demo partnerships, played after their competitions have concluded the partner contracts:
rural buses at the gate after their pilot (demo/rural_buses.py) and household-waste routes in
the purchase (demo/waste_routes.py). Each is played once: a partnership with a gate review has
been played, so loading twice changes nothing.
"""

from collections.abc import Callable

from sanely.portal.partnerships.models import GateReview, Partnership
from sanely.portal.procurements.models import Procurement

from . import rural_buses, waste_routes

PARTNERSHIPS: dict[str, Callable[[Procurement], None]] = {
    rural_buses.REFERENCE: rural_buses.play,
    waste_routes.REFERENCE: waste_routes.play,
}


def demo_partnerships() -> None:
    """Play the partnerships that have begun and have not been played yet."""
    for reference, play in PARTNERSHIPS.items():
        partnership = Partnership.objects.filter(procurement__reference=reference).first()
        if partnership is None or GateReview.objects.filter(partnership=partnership).exists():
            continue
        play(partnership.procurement)
