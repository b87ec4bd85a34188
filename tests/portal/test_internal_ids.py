"""The detector the demo crawl uses for internal identifiers shown to people."""

import pytest
from portal.internal_ids import internal_ids, visible_text


@pytest.mark.parametrize(
    ("shown", "kind"),
    [
        ("Rulebook pa-2023-cfp-ip", "rulebook id"),
        ("under pcr-2015-reg31 from 2024", "rulebook id"),
        ("Target phases.items[1].targets[0] is missing", "index path"),
        ("Goal: innovation_implementation", "snake_case word"),
        ("Method relative_to_lowest.", "snake_case word"),
        ("Opened 2026-11-25T10:00:00+00:00", "ISO timestamp"),
        ("Hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "content hash"),
    ],
)
def test_an_internal_id_in_the_page_text_is_found(shown, kind):
    assert [kind] == [k for k, _ in internal_ids(f"<main><p>{shown}</p></main>")]


def test_an_internal_id_inside_a_details_disclosure_is_allowed():
    html = "<details><summary>Details</summary><p>pa-2023-cfp-ip, phases.items[1]</p></details>"
    assert [] == internal_ids(html)


def test_the_text_after_a_closed_disclosure_is_checked_again():
    html = "<details><p>pa-2023-cfp-ip</p></details><p>innovation_implementation</p>"
    assert [("snake_case word", "innovation_implementation")] == internal_ids(html)


def test_attributes_scripts_and_styles_are_not_text():
    html = (
        '<form><input type="hidden" name="design_section" value="pa-2023-cfp-ip">'
        '<option value="relative_to_lowest">Compared with the lowest price</option></form>'
        "<script>const x_y = 1</script><style>.a_b{}</style>"
    )
    assert [] == internal_ids(html)


@pytest.mark.parametrize(
    "plain",
    [
        "Reference WCC-IP-2024-003, 25 November 2026 at 10:00",
        "Email admin@kestrel.example or open route_plan.pdf",
        "/procurements/3/design/phases",
        "Score 7 of 10; 12 tenders; version 2",
    ],
)
def test_plain_words_references_and_uk_dates_are_not_internal_ids(plain):
    assert [] == internal_ids(f"<p>{plain}</p>")


def test_void_elements_and_unclosed_tags_do_not_hide_later_text():
    html = "<p>one<br>two<img src=x><details><p>a_b</details><li>c_d"
    assert "one" in visible_text(html)
    assert [("snake_case word", "c_d")] == internal_ids(html)
