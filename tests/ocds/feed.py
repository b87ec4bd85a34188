"""A seeded, realistic feed of OCDS release packages for compile tests and benchmarks.

Each contracting process gets a lifecycle of releases (planning, tender, updates with
amendments, award, contract, implementation updates) carrying parties, items, documents,
milestones and transactions, with the kinds of change merging must handle: updated fields,
arrays merged by id, items without ids, whole-list fields and nulls removing values.
"""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

BASE = datetime(2025, 1, 1, tzinfo=UTC)


def _org(rng: random.Random, n: int, role: str) -> dict:
    return {
        "id": f"GB-COH-{n:08d}",
        "name": f"Organisation {n}",
        "identifier": {"scheme": "GB-COH", "id": f"{n:08d}", "legalName": f"Organisation {n} Ltd"},
        "address": {
            "streetAddress": f"{rng.randint(1, 300)} High Street",
            "locality": "Leeds",
            "postalCode": "LS1 1AA",
            "countryName": "United Kingdom",
        },
        "contactPoint": {
            "name": "Procurement team",
            "email": f"team{n}@example.org",
            "telephone": "0113 000 0000",
        },
        "roles": [role],
    }


def _document(rng: random.Random, n: int, kind: str, day: datetime) -> dict:
    return {
        "id": f"doc-{n}",
        "documentType": kind,
        "title": f"{kind} {n}",
        "description": "A document describing part of the procurement in some detail. "
        * rng.randint(1, 3),
        "url": f"https://example.org/docs/{n}.pdf",
        "datePublished": day.isoformat(),
        "format": "application/pdf",
        "language": "en",
    }


def _items(rng: random.Random, count: int) -> list[dict]:
    return [
        {
            "id": str(i),
            "description": f"Service line {i}",
            "classification": {
                "scheme": "CPV",
                "id": f"{rng.randint(30000000, 90000000)}",
                "description": "Services",
            },
            "additionalClassifications": [
                {"scheme": "CPV", "id": "72000000", "description": "IT services"}
            ],
            "quantity": rng.randint(1, 50),
            "unit": {
                "name": "Each",
                "value": {"amount": round(rng.uniform(10, 5000), 2), "currency": "GBP"},
            },
        }
        for i in range(1, count + 1)
    ]


def lifecycle(ocid: str, rng: random.Random, releases: int) -> list[dict]:
    """`releases` releases of one contracting process, with distinct dates."""
    start = BASE + timedelta(days=rng.randint(0, 600))
    buyer = _org(rng, rng.randint(1, 500), "buyer")
    suppliers = [_org(rng, rng.randint(1000, 90000), "supplier") for _ in range(rng.randint(1, 3))]
    value = round(rng.uniform(10_000, 5_000_000), 2)
    out = []
    for step in range(releases):
        day = start + timedelta(days=step * 7, seconds=rng.randint(0, 3600))
        release: dict = {
            "ocid": ocid,
            "id": f"{ocid}-{step:03d}",
            "date": day.isoformat(),
            "initiationType": "tender",
            "language": "en",
            "buyer": {"id": buyer["id"], "name": buyer["name"]},
            "parties": [buyer],
        }
        if step == 0:
            release["tag"] = ["planning"]
            release["planning"] = {
                "rationale": "Meeting a need identified in the strategy. " * 3,
                "budget": {
                    "description": "Capital budget",
                    "amount": {"amount": value * 1.1, "currency": "GBP"},
                },
                "documents": [_document(rng, 1, "procurementPlan", day)],
            }
            release["tender"] = {
                "id": f"{ocid}-tender",
                "status": "planning",
                "title": "Planned procurement",
            }
        elif step < releases // 3:
            release["tag"] = ["tender"] if step == 1 else ["tenderUpdate"]
            release["tender"] = {
                "id": f"{ocid}-tender",
                "title": f"Procurement {ocid}",
                "description": "Provision of services to the council. " * 4,
                "status": "active",
                "procurementMethod": "selective",
                "procurementMethodDetails": "Competitive flexible procedure",
                "mainProcurementCategory": "services",
                "value": {"amount": value, "currency": "GBP"},
                "tenderPeriod": {
                    "startDate": day.isoformat(),
                    "endDate": (day + timedelta(days=30 + step)).isoformat(),
                },
                "items": _items(rng, rng.randint(2, 6)),
                "documents": [_document(rng, d, "tenderNotice", day) for d in range(2, 2 + step)],
                "amendments": [
                    {"id": f"am-{step}", "date": day.isoformat(), "rationale": "Clarified"}
                ]
                if step > 1
                else [],
                "submissionMethod": ["electronicSubmission"],
                "numberOfTenderers": None if step % 2 else rng.randint(1, 9),
            }
        elif step < 2 * releases // 3:
            release["tag"] = ["award"]
            release["parties"] = [buyer, *suppliers]
            release["awards"] = [
                {
                    "id": f"award-{n}",
                    "title": f"Award to {s['name']}",
                    "status": "active",
                    "date": day.isoformat(),
                    "value": {"amount": round(value / len(suppliers), 2), "currency": "GBP"},
                    "suppliers": [{"id": s["id"], "name": s["name"]}],
                    "items": _items(rng, 2),
                    "documents": [_document(rng, 100 + n, "awardNotice", day)],
                }
                for n, s in enumerate(suppliers)
            ]
        else:
            release["tag"] = ["contract"] if step == 2 * releases // 3 else ["implementation"]
            release["contracts"] = [
                {
                    "id": f"contract-{n}",
                    "awardID": f"award-{n}",
                    "status": "active",
                    "period": {
                        "startDate": day.isoformat(),
                        "endDate": (day + timedelta(days=365)).isoformat(),
                    },
                    "value": {"amount": round(value / len(suppliers), 2), "currency": "GBP"},
                    "dateSigned": day.isoformat(),
                    "implementation": {
                        "milestones": [
                            {
                                "id": f"m-{m}",
                                "title": f"Milestone {m}",
                                "type": "delivery",
                                "status": rng.choice(["scheduled", "met", "notMet"]),
                                "dueDate": (day + timedelta(days=30 * m)).isoformat(),
                            }
                            for m in range(1, 4)
                        ],
                        "transactions": [
                            {
                                "id": f"tx-{step}-{n}",
                                "date": day.isoformat(),
                                "value": {
                                    "amount": round(rng.uniform(1000, 50000), 2),
                                    "currency": "GBP",
                                },
                                "payer": release["buyer"],
                                "payee": {"id": suppliers[n]["id"], "name": suppliers[n]["name"]},
                            }
                        ],
                        "documents": [
                            {
                                "title": "Progress report without id",
                                "url": f"https://example.org/r/{step}.pdf",
                            }
                        ],
                    },
                }
                for n in range(len(suppliers))
            ]
        out.append(release)
    rng.shuffle(out)  # feeds are not in date order
    return out


def write_feed(
    path: Path, ocids: int, per_ocid: int, *, seed: int = 12, per_package: int = 100
) -> int:
    """JSON Lines of release packages (as a national feed serves them); returns the byte size."""
    rng = random.Random(seed)
    releases = [r for n in range(ocids) for r in lifecycle(f"ocds-b5fd17-{n:07d}", rng, per_ocid)]
    rng.shuffle(releases)
    with open(path, "wb") as out:
        for start in range(0, len(releases), per_package):
            package = {
                "uri": f"https://example.org/feed/{start}",
                "version": "1.1",
                "publisher": {"name": "Example feed"},
                "publishedDate": BASE.isoformat(),
                "releases": releases[start : start + per_package],
            }
            out.write(orjson.dumps(package) + b"\n")
    return path.stat().st_size
