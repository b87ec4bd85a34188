"""
The open data for anyone: release packages a page at a time (`since`, cursor, limit), the record
of one procurement, every release in one gzipped JSON Lines file and `sanely ocds export`; each
package validates against the official schema and carries the publisher, the licence and the
audit chain's head.
"""

import gzip
import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from ocds.partnership import SCHEMA_DIR
from portal.publication.world import published

from sanely import ocds
from sanely.ocds._package import OGL_V3
from sanely.portal.audit.models import ChainHead
from sanely.portal.core.clock import now
from sanely.portal.publication.models import Release

pytestmark = pytest.mark.django_db


def get(url):
    return Client().get(url)


def test_releases_are_a_valid_package_with_publisher_licence_and_audit_head(wessex, settings):
    settings.OCDS_PUBLISHER = {"name": "Wessex open data", "scheme": "GB-LAC", "uid": "E10000099"}
    published(wessex, concluded=False)
    response = get("/ocds/releases")
    assert (200, "application/json") == (response.status_code, response["Content-Type"])
    package = response.json()
    ocds.validate_package(package, SCHEMA_DIR)
    assert {"name": "Wessex open data", "scheme": "GB-LAC", "uid": "E10000099"} == package[
        "publisher"
    ]
    assert OGL_V3 == package["license"]
    head = ChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (
        package["auditChainHead"]["sequence"],
        package["auditChainHead"]["hash"],
    )
    assert ["planning", "tender", "award-1", "award-2"] == [
        r["id"].rsplit("IP-ISO-AWARD-")[1] for r in package["releases"]
    ]
    assert "Link" not in response


def test_pages_follow_the_link_to_the_end(wessex):
    published(wessex)
    expected = list(Release.objects.order_by("pk").values_list("release_id", flat=True))
    seen, url = [], "/ocds/releases?limit=2"
    while url:
        response = get(url)
        package = response.json()
        ocds.validate_package(package, SCHEMA_DIR)
        seen += [r["id"] for r in package["releases"]]
        link = response.get("Link", "")
        url = link[1 : link.index(">")].removeprefix("http://127.0.0.1:8000") if link else ""
    assert expected == seen


def test_since_keeps_the_releases_published_from_then(wessex):
    p = published(wessex, concluded=False)
    later = now() + timedelta(days=1)
    assert 404 == get(f"/ocds/releases?since={later.date().isoformat()}").status_code
    earlier = Release.objects.filter(procurement_id=p.procurement_id).first().published_at
    since = (earlier - timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert 4 == len(get(f"/ocds/releases?since={since}").json()["releases"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("since=2026-12-01T09:00:00", "since"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
    ],
)
def test_bad_parameters_are_refused_by_name(wessex, query, field):
    published(wessex, concluded=False)
    response = get(f"/ocds/releases?{query}")
    assert 400 == response.status_code
    assert [field] == list(response.json()["detail"])


def test_nothing_published_is_404_not_an_invalid_empty_package(db):
    response = get("/ocds/releases")
    assert 404 == response.status_code
    assert "not_found" == response.json()["code"]


def test_a_record_holds_every_release_compiled_and_versioned(wessex):
    p = published(wessex)
    response = get(f"/ocds/records/{p.ocid}")
    package = response.json()
    ocds.validate_record_package(package, SCHEMA_DIR)
    [record] = package["records"]
    assert p.ocid == record["ocid"]
    compiled = record["compiledRelease"]
    assert ["award-1", "award-2"] == [a["id"] for a in compiled["awards"]]
    assert [6, 6] == [len(c["implementation"]["milestones"]) for c in compiled["contracts"]]
    assert "compiledRelease" in record
    assert "versionedRelease" in record
    assert 404 == get("/ocds/records/ocds-s4n3ly-NOTHING").status_code


def test_the_bulk_file_is_gzipped_json_lines_that_compile_to_the_records(wessex, tmp_path):
    p = published(wessex)
    response = get("/ocds/releases.jsonl.gz")
    assert "application/gzip" == response["Content-Type"]
    feed = tmp_path / "releases.jsonl"
    feed.write_bytes(gzip.decompress(b"".join(response.streaming_content)))
    lines = [json.loads(line) for line in feed.read_text().splitlines()]
    assert 1 == len(lines)
    for package in lines:
        ocds.validate_package(package, SCHEMA_DIR)
    schema = tmp_path / "schema.json"
    schema.write_text(
        json.dumps(ocds._validate.patched_release_schema(SCHEMA_DIR, lines[0]["extensions"]))
    )
    compiled = subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "-m", "sanely.cli", "ocds", "compile", "--schema", str(schema), str(feed)],
        capture_output=True,
        check=True,
    )
    record = get(f"/ocds/records/{p.ocid}").json()["records"][0]
    assert record["compiledRelease"] == json.loads(compiled.stdout)


def test_export_writes_the_releases_and_the_records(wessex, tmp_path, capsys):
    published(wessex)
    call_command("sanely_ocds_export", str(tmp_path / "out"))
    releases = gzip.decompress((tmp_path / "out" / "releases.jsonl.gz").read_bytes())
    records = gzip.decompress((tmp_path / "out" / "records.jsonl.gz").read_bytes())
    assert 1 == len(releases.splitlines()) == len(records.splitlines())
    ocds.validate_record_package(json.loads(records), SCHEMA_DIR)
    assert "releases.jsonl.gz" in capsys.readouterr().out


def test_sanely_ocds_export_runs_the_portal_command(monkeypatch):
    from sanely import cli

    called = []
    monkeypatch.setattr(
        cli, "run_portal_command", lambda name, argv: called.append((name, argv)) or 0
    )
    assert 0 == cli.main(["ocds", "export", "exported"])
    assert [("sanely_ocds_export", ["exported"])] == called
