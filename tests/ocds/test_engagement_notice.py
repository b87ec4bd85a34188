"""The preliminary market engagement notice (UK2) as a planning release."""

from ocds.partnership import CONFIG, PROCUREMENT, SCHEMA_DIR, START
from sanely.ocds import build_package, build_release, validate_package
from sanely.ocds import facts as f

UK2 = f.Document(
    id="notice-engagement",
    document_type="marketEngagementNotice",
    title="Preliminary market engagement notice (UK2)",
    url="https://council.example/open/ocds-s4n3ly-ip-2026-001/notices/engagement",
    published=START,
    notice_type="UK2",
)


def _release(**fields: object) -> dict:
    planning = f.Planning(id="engagement", date=START, rationale="Fewer missed buses.", **fields)  # type: ignore[arg-type]
    return build_release(CONFIG.ocid_prefix, PROCUREMENT, planning).release


def test_a_uk2_carries_the_procurement_title_and_the_notice_words() -> None:
    release = _release(
        title="Rural transport on demand", documents=(UK2,), notice_text="Closes on 1 March."
    )
    assert "Rural transport on demand" == release["tender"]["title"]
    assert "planning" == release["tender"]["status"]
    document = release["planning"]["documents"][0]
    assert ("UK2", "marketEngagementNotice") == (document["noticeType"], document["documentType"])
    assert "Closes on 1 March." == document["description"]


def test_a_planning_release_without_a_title_names_none() -> None:
    assert "title" not in _release()["tender"]


def test_a_uk2_release_validates_with_the_uk_extension() -> None:
    built = build_release(
        CONFIG.ocid_prefix,
        PROCUREMENT,
        f.Planning(
            id="engagement",
            date=START,
            rationale="Need",
            title="T",
            documents=(UK2,),
            notice_text="W",
        ),
    )
    assert "uk" in built.extensions
    validate_package(
        build_package(CONFIG, [built], uri="https://x.example/p", published=START), SCHEMA_DIR
    )
