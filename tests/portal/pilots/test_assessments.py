"""Pilot evidence in the portal: upload, run in the worker, read the verdict, reproduce."""

import json
from pathlib import Path

import pytest
import synthdid
from cast import NOW
from django.core.files.uploadedfile import SimpleUploadedFile

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.pilots import events as pilots_events
from sanely.portal.pilots.models import OutcomeAssessment

pytestmark = pytest.mark.django_db

# Waiting times (minutes) before and after a demand-responsive bus pilot, in four villages.
WAITING_CSV = "village,period,waiting_minutes\n" + "".join(
    f"{village},before,{before}\n{village},after,{after}\n"
    for village, before, after in [
        ("Ashby", 14.2, 9.1),
        ("Brook", 12.8, 8.7),
        ("Colton", 15.1, 10.2),
        ("Dunmore", 13.4, 9.9),
        ("Eastleigh", 16.0, 11.1),
        ("Farleigh", 12.2, 8.4),
    ]
)
BEFORE_AFTER = {
    "title": "Bus pilot: waiting times",
    "value": "waiting_minutes",
    "unit": "village",
    "period": "period",
    "design": "before_after",
    "before": "before",
    "after": "after",
    "statistic": "mean",
    "label": "waiting time",
    "comparator": "<=",
    "threshold": "-2",
    "confidence": "0.95",
    "standard": "ci_bound",
    "method": "analytic",
}
THRESHOLD_SPEC = {
    "columns": {"value": "waiting_minutes"},
    "design": {"kind": "threshold"},
    "metric": {"statistic": "median"},
}


def upload(text=WAITING_CSV, name="waiting.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def post_form(client, organisation, capture, **changes):
    data = {**BEFORE_AFTER, "organisation_id": organisation.pk, "data_file": upload(), **changes}
    with capture(execute=True):
        return client.post("/evidence/new", {k: v for k, v in data.items() if v is not None})


def test_a_commissioner_gets_a_verdict_with_its_sentence(
    wessex, django_capture_on_commit_callbacks
):
    client = wessex.client(Role.COMMISSIONER)
    response = post_form(client, wessex.organisation, django_capture_on_commit_callbacks)
    assert 302 == response.status_code
    assessment = OutcomeAssessment.objects.get()
    assert "done" == assessment.status
    assert "met" == assessment.result["verdict"]
    assert assessment.result["estimate"] == pytest.approx(
        -26.3 / 6, abs=1e-9
    )  # mean of the six changes
    page = client.get(response.headers["Location"]).text
    assert assessment.result["explanation"] in page
    assert assessment.data_sha256 in page
    assert "<svg" in page
    assert "the target is -2" in page  # the chart's text alternative
    assert {"sanely", "numpy", "scipy"} <= set(assessment.engine_versions)
    actions = AuditEvent.objects.filter(
        subject_type="pilots.outcomeassessment", subject_id=str(assessment.pk)
    ).values_list("action", flat=True)
    assert [pilots_events.ASSESSMENT_REQUESTED, pilots_events.ASSESSMENT_COMPLETED] == list(actions)


def test_a_staggered_design_shows_its_event_time_plot(wessex, django_capture_on_commit_callbacks):
    spec = (
        b'[columns]\nvalue = "lemp"\nunit = "countyreal"\nperiod = "year"\n'
        b'group = "first.treat"\n[design]\nkind = "staggered"\n[metric]\n'
        b'label = "log teen employment"\n[target]\ncomparator = "<"\nthreshold = 0\n'
    )
    mpdta = Path(__file__).parents[2] / "evidence" / "data" / "mpdta.csv"
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        spec_file=SimpleUploadedFile("spec.toml", spec),
        data_file=SimpleUploadedFile("mpdta.csv", mpdta.read_bytes(), content_type="text/csv"),
    )
    assessment = OutcomeAssessment.objects.get()
    assert "met" == assessment.result["verdict"]
    page = wessex.client(Role.COMMISSIONER).get(response.headers["Location"]).text
    assert "Effect on log teen employment, by periods since joining the pilot" in page


def test_a_synthetic_control_from_the_questions_shows_its_gap_series(
    wessex, django_capture_on_commit_callbacks
):
    prop99 = synthdid.load_california_prop99().to_csv(index=False)
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=upload(prop99, "prop99.csv"),
        value="PacksPerCapita",
        unit="State",
        period="Year",
        design="synthetic_control",
        treated="California",
        change_at="1989",
        before=None,
        after=None,
        label="cigarette sales per head",
        comparator="<=",
        threshold="-5",
    )
    assessment = OutcomeAssessment.objects.get()
    assert "inconclusive" == assessment.result["verdict"]
    assert "1989" == assessment.spec["design"]["change_at"]
    page = wessex.client(Role.COMMISSIONER).get(response.headers["Location"]).text
    assert "California minus its synthetic control" in page


def test_a_spec_file_replaces_the_questions(wessex, django_capture_on_commit_callbacks):
    spec = b'[columns]\nvalue = "waiting_minutes"\n[design]\nkind = "threshold"\n[metric]\nstatistic = "mean"\n[target]\ncomparator = "<="\nthreshold = 20\n'
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        spec_file=SimpleUploadedFile("spec.toml", spec),
        design="did",
    )
    assessment = OutcomeAssessment.objects.get()
    assert "threshold" == assessment.spec["design"]["kind"]
    assert "met" == assessment.result["verdict"]


def test_every_problem_is_named_at_once_and_nothing_is_stored(
    wessex, django_capture_on_commit_callbacks, settings
):
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        title=" ",
        data_file=upload(name="waiting.exe"),
        design="did",
        group="",
    )
    assert 400 == response.status_code
    assert "Give the assessment a title" in response.text
    assert "Upload a .csv, .xlsx, .parquet or .jsonl file" in response.text
    assert "group" in response.text  # the design needs a group column
    assert 0 == OutcomeAssessment.objects.count()
    assert not settings.MEDIA_ROOT.exists() or [] == list(settings.MEDIA_ROOT.rglob("*.*"))


def test_data_that_does_not_fit_fails_with_a_message_by_row(
    wessex, django_capture_on_commit_callbacks
):
    bad = WAITING_CSV.replace("14.2", "fourteen")
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=upload(bad),
    )
    assessment = OutcomeAssessment.objects.get()
    assert "failed" == assessment.status
    assert [2] == [issue["row"] for issue in assessment.error_issues]
    assert "fourteen" in wessex.client(Role.AUDITOR).get(f"/evidence/{assessment.pk}/").text


def test_a_stored_file_changed_behind_our_back_is_refused(
    wessex, django_capture_on_commit_callbacks, settings
):
    from sanely.portal.pilots import services

    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }  # queue, do not run
    post_form(
        wessex.client(Role.COMMISSIONER), wessex.organisation, django_capture_on_commit_callbacks
    )
    assessment = OutcomeAssessment.objects.get()
    with open(assessment.data_file.path, "a", encoding="utf-8") as handle:
        handle.write("Ashby,after,1.0\n")
    result = services.assessment_run(
        assessment_id=assessment.pk, clock=lambda: assessment.requested_at
    )
    assert "failed" == result.status
    assert "SHA-256" in result.error_message


def test_an_unexpected_fault_is_logged_and_reported_plainly(
    wessex, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from sanely.portal.pilots import services

    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(services, "run_limited", broken)
    post_form(
        wessex.client(Role.COMMISSIONER), wessex.organisation, django_capture_on_commit_callbacks
    )
    assessment = OutcomeAssessment.objects.get()
    assert "failed" == assessment.status
    assert "failed unexpectedly" in assessment.error_message
    assert "bug" not in assessment.error_message
    assert "ZeroDivisionError" in caplog.text


def test_auditors_read_but_cannot_request(wessex):
    client = wessex.client(Role.AUDITOR)
    assert 200 == client.get("/evidence/").status_code
    assert 403 == client.get("/evidence/new").status_code


def test_suppliers_have_no_evidence_pages_yet(kestrel):
    client = kestrel.client(Role.SUPPLIER_ADMIN)
    assert "Pilot evidence" not in client.get("/").text
    assert 403 == client.get("/evidence/new").status_code


def test_the_api_takes_a_file_and_a_json_spec(wessex, django_capture_on_commit_callbacks):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/assessments",
            {
                "organisation_id": wessex.organisation.pk,
                "title": "Medians",
                "spec": json.dumps(THRESHOLD_SPEC),
                "data": upload(),
            },
        )
    assert 201 == response.status_code, response.content
    detail = client.get(f"/api/v1/assessments/{response.json()['id']}").json()
    assert "done" == detail["status"]
    assert "no target" == detail["result"]["verdict"]
    listed = client.get("/api/v1/assessments").json()["items"]
    assert [detail["id"]] == [a["id"] for a in listed]


@pytest.mark.parametrize(
    ("spec", "field"),
    [("{not json", "spec"), ("[1, 2]", "spec"), (json.dumps({"columns": {}}), "spec")],
)
def test_the_api_names_a_bad_spec(wessex, spec, field):
    response = wessex.token_client(Role.PROCUREMENT_LEAD).post(
        "/api/v1/assessments",
        {"organisation_id": wessex.organisation.pk, "title": "x", "spec": spec, "data": upload()},
    )
    assert 400 == response.status_code
    assert field in response.json()["detail"]
    assert 0 == OutcomeAssessment.objects.count()


def test_an_assessment_opened_from_a_procurement_target_is_judged_against_it(
    wessex, django_capture_on_commit_callbacks
):
    from sanely.portal.procurements.services import procurement_create, procurement_design_update

    actor = wessex.actor(Role.COMMISSIONER)
    procurement = procurement_create(
        actor=actor, organisation_id=wessex.organisation.pk, title="Rural transport", now=NOW
    )
    target = {
        "metric": "waiting time",
        "design": "before_after",
        "comparator": "<=",
        "threshold": "-2",
    }
    phases = {
        "items": [{"name": "Pilot", "duration_months": 6, "max_value": "1000", "targets": [target]}]
    }
    procurement = procurement_design_update(
        actor=actor, procurement_id=procurement.pk, sections={"phases": phases}, now=NOW
    )
    key = procurement.design["phases"]["items"][0]["targets"][0]["key"]
    client = wessex.client(Role.COMMISSIONER)
    form = client.get(f"/evidence/new?procurement={procurement.pk}&target={key}")
    assert 'value="-2.0"' in form.text or 'value="-2"' in form.text
    assert f'name="target_key" value="{key}"' in form.text
    assert "target waiting time (Pilot phase)" in form.text
    post_form(
        client,
        wessex.organisation,
        django_capture_on_commit_callbacks,
        procurement_id=procurement.pk,
        target_key=key,
    )
    assessment = OutcomeAssessment.objects.get()
    assert (procurement.pk, key) == (assessment.procurement_id, assessment.target_key)
    page = client.get(f"/evidence/{assessment.pk}/").text
    assert procurement.reference in page
    assert "the target waiting time (Pilot phase)" in page
    assert key not in page


def test_an_assessment_follows_its_target_when_phases_change(
    wessex, django_capture_on_commit_callbacks
):
    from sanely.portal.procurements.services import procurement_create, procurement_design_update

    actor = wessex.actor(Role.COMMISSIONER)
    procurement = procurement_create(
        actor=actor, organisation_id=wessex.organisation.pk, title="Rural transport", now=NOW
    )
    waiting = {"key": "waiting", "metric": "waiting time", "comparator": "<=", "threshold": "-2"}
    pilot = {"name": "Pilot", "duration_months": 6, "max_value": "1000", "targets": [waiting]}
    bookings = {"metric": "bookings", "comparator": ">=", "threshold": "10"}
    design = {"name": "Design", "duration_months": 3, "max_value": "500", "targets": [bookings]}
    update = {"actor": actor, "procurement_id": procurement.pk, "now": NOW}
    procurement_design_update(**update, sections={"phases": {"items": [pilot]}})
    client = wessex.client(Role.COMMISSIONER)
    post_form(
        client,
        wessex.organisation,
        django_capture_on_commit_callbacks,
        procurement_id=procurement.pk,
        target_key="waiting",
    )
    procurement_design_update(**update, sections={"phases": {"items": [design, pilot]}})
    page = client.get(f"/evidence/{OutcomeAssessment.objects.get().pk}/").text
    assert "the target waiting time (Pilot phase)" in page


def test_an_unknown_target_key_is_not_found_and_refused_naming_the_field(wessex):
    from sanely.portal.procurements.services import procurement_create

    procurement = procurement_create(
        actor=wessex.actor(Role.COMMISSIONER),
        organisation_id=wessex.organisation.pk,
        title="X",
        now=NOW,
    )
    client = wessex.client(Role.COMMISSIONER)
    url = f"/evidence/new?procurement={procurement.pk}&target=phases.items[0].targets[0]"
    assert 404 == client.get(url).status_code
    response = wessex.token_client(Role.PROCUREMENT_LEAD).post(
        "/api/v1/assessments",
        {
            "organisation_id": wessex.organisation.pk,
            "title": "x",
            "spec": json.dumps(THRESHOLD_SPEC),
            "data": upload(),
            "procurement_id": procurement.pk,
            "target_key": "nowhere",
        },
    )
    assert 400 == response.status_code
    assert ["target_key"] == list(response.json()["detail"])


def test_a_target_of_another_authority_is_not_found(wessex, mercia):
    from sanely.portal.procurements.services import procurement_create

    procurement = procurement_create(
        actor=mercia.actor(Role.COMMISSIONER),
        organisation_id=mercia.organisation.pk,
        title="X",
        now=NOW,
    )
    response = wessex.client(Role.COMMISSIONER).get(
        f"/evidence/new?procurement={procurement.pk}&target=target-1"
    )
    assert 404 == response.status_code


SEATBELTS = Path(__file__).parents[2] / "evidence" / "data" / "seatbelts.csv"


def test_a_time_series_against_a_comparison_series_from_the_questions(
    wessex, django_capture_on_commit_callbacks
):
    """The 1983 seat-belt law: front-seat casualties against rear-seat ones, the change given
    once as the first month of the law."""
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=SimpleUploadedFile("seatbelts.csv", SEATBELTS.read_bytes()),
        value="killed_or_seriously_injured",
        unit=None,
        period="month",
        group="series",
        design="its",
        before=None,
        after=None,
        change_at="1983-02",
        treated="front",
        control="rear",
        label="monthly casualties",
        comparator=None,
        method="auto",
    )
    assessment = OutcomeAssessment.objects.get()
    assert "done" == assessment.status, assessment.error_message
    assert {"kind": "its", "change_at": "1983-02", "treated": ["front"], "control": ["rear"]} == (
        assessment.spec["design"]
    )
    assert "relative to the comparison series from 1983-02" in assessment.result["explanation"]
    page = wessex.client(Role.COMMISSIONER).get(response.headers["Location"]).text
    assert "192 periods from 1969-01 to 1984-12, 1 row each (192 rows)" in page
    assert "1969-02" not in page  # no row per period


def test_a_gate_of_a_plan_of_looks_from_the_questions(wessex, django_capture_on_commit_callbacks):
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        looks="3",
        look="2",
        spending="pocock",
        futility="on",
    )
    assessment = OutcomeAssessment.objects.get()
    assert {"looks": 3, "look": 2, "spending": "pocock", "futility": True} == (
        assessment.spec["sequential"]
    )
    assert "At look 2 of 3" in assessment.result["explanation"]
    assert "Pocock-type" in assessment.result["explanation"]


def test_without_a_gate_no_plan_of_looks_is_made(wessex, django_capture_on_commit_callbacks):
    post_form(
        wessex.client(Role.COMMISSIONER), wessex.organisation, django_capture_on_commit_callbacks
    )
    assert "sequential" not in OutcomeAssessment.objects.get().spec


COVARIATE_CSV = "village,arm,period,age,weight,waiting_minutes\n" + "".join(
    f"v{unit},{'pilot' if unit % 2 else 'comparison'},{period},{30 + unit + period},"
    f"{1 + (unit * 7 + period) % 3},{12 + unit % 3 - 2 * period * (unit % 2) + (unit * period) % 2}\n"
    for unit in range(20)
    for period in (0, 1)
    for _ in range(3)
)


def test_covariates_and_survey_weights_from_the_questions(
    wessex, django_capture_on_commit_callbacks
):
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=upload(COVARIATE_CSV, "survey.csv"),
        design="did",
        group="arm",
        treated="pilot",
        control="comparison",
        before="0",
        after="1",
        covariates="age",
        weight="weight",
        weights="survey",
    )
    assessment = OutcomeAssessment.objects.get()
    assert "done" == assessment.status, assessment.error_message
    assert (["age"], "weight", "survey") == (
        assessment.spec["columns"]["covariates"],
        assessment.spec["columns"]["weight"],
        assessment.spec["inference"]["weights"],
    )
    assert "adjusted for age" in assessment.result["method"]
    assert "the number of people (or things) each stands for" in assessment.result["explanation"]


def test_a_synthetic_control_matches_the_columns_asked_from_the_questions(
    wessex, django_capture_on_commit_callbacks
):
    rows = []
    for unit in range(12):
        size = 1 + unit % 4
        for year in range(2010, 2022):
            effect = -3 if unit == 0 and year >= 2019 else 0
            rows.append(f"u{unit},{year},{size},{10 + 2 * size + 0.3 * unit * (year % 3) + effect}")
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=upload("town,year,size,trips\n" + "\n".join(rows) + "\n", "towns.csv"),
        value="trips",
        unit="town",
        period="year",
        design="synthetic_control",
        treated="u0",
        before=None,
        after=None,
        change_at="2019",
        predictors="size, trips",
        comparator=None,
    )
    assessment = OutcomeAssessment.objects.get()
    assert "done" == assessment.status, assessment.error_message
    assert {"size": "before", "trips": "before"} == assessment.spec["predictors"]
    page = wessex.client(Role.COMMISSIONER).get(response.headers["Location"]).text
    assert "How closely the synthetic control matches the pilot unit" in page
    assert "size (mean before the change)" in page


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"design": "did", "group": "arm", "period": "", "treated": "a", "control": "b"},
            "period",
            "‘Difference in differences’ needs ‘Column with the period",
        ),
        ({"looks": "3", "look": "4"}, "look", "‘Which gate is this?’ must be between 1 and"),
        ({"weight": "w"}, "weights", "‘Column with the weight of each row (optional)’ needs"),
        (
            {"threshold": ""},
            "threshold",
            "A target needs ‘The result must be’ (&gt;=, &gt;, &lt;=, &lt;) and ‘Threshold’",
        ),
    ],
)
def test_a_problem_with_the_answers_is_shown_at_its_question_in_the_forms_words(
    wessex, django_capture_on_commit_callbacks, changes, field, words
):
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        **changes,
    )
    assert 400 == response.status_code
    assert words in response.text
    assert f'href="#{field}"' in response.text  # the error summary links to the question
    assert f'id="{field}-error"' in response.text
    for code in ("columns.", "design.", "sequential.", "inference.", "[columns]"):
        assert code not in response.text
    assert 0 == OutcomeAssessment.objects.count()


def test_a_spec_files_problem_is_shown_at_the_spec_file(wessex, django_capture_on_commit_callbacks):
    response = post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        spec_file=SimpleUploadedFile(
            "spec.toml", b'[columns]\nvalue = "x"\n[design]\nkind = "did"\n'
        ),
    )
    assert 400 == response.status_code
    assert 'href="#spec_file"' in response.text
    assert "The spec file: design.kind = &#39;did&#39; needs columns.group" in response.text


def test_the_api_takes_every_table_of_the_spec(wessex, django_capture_on_commit_callbacks):
    spec = {
        "columns": {"value": "waiting_minutes", "unit": "village", "period": "period"}
        | {"group": "arm", "covariates": ["age"], "weight": "weight"},
        "design": {"kind": "did", "treated": ["pilot"], "control": ["comparison"]}
        | {"before": ["0"], "after": ["1"]},
        "target": {"comparator": "<=", "threshold": 0},
        "inference": {"weights": "survey"},
        "sequential": {"looks": 2, "look": 1, "futility": True},
    }
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/assessments",
            {
                "organisation_id": wessex.organisation.pk,
                "title": "Adjusted, first of two gates",
                "spec": json.dumps(spec),
                "data": upload(COVARIATE_CSV, "survey.csv"),
            },
        )
    assert 201 == response.status_code, response.content
    result = client.get(f"/api/v1/assessments/{response.json()['id']}").json()["result"]
    assert "At look 1 of 2" in result["explanation"]
    assert "wild cluster bootstrap" in result["method"]
    assert "adjusted for age" in result["method"]


def test_a_spreadsheet_bomb_fails_its_assessment_with_a_message_and_is_never_parsed(
    wessex, django_capture_on_commit_callbacks, monkeypatch
):
    import io
    import zipfile

    import python_calamine

    def parse(path):
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", parse)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row>'
            "</sheetData>",
        )
    post_form(
        wessex.client(Role.COMMISSIONER),
        wessex.organisation,
        django_capture_on_commit_callbacks,
        data_file=SimpleUploadedFile("bomb.xlsx", bomb.getvalue()),
    )
    assessment = OutcomeAssessment.objects.get()
    assert "failed" == assessment.status
    assert "bomb.xlsx holds cells that span 17,179,869,184 places" in assessment.error_message
    assert "save the data as CSV or Parquet" in assessment.error_message


def test_a_nul_in_the_title_or_spec_is_refused_naming_the_field(wessex):
    client = wessex.token_client(Role.PROCUREMENT_LEAD)
    response = client.post(
        "/api/v1/assessments",
        {
            "organisation_id": wessex.organisation.pk,
            "title": "Waits\x00",
            "spec": json.dumps({**THRESHOLD_SPEC, "columns": {"value": "wait\x00"}}),
            "data": upload(),
        },
    )
    assert 400 == response.status_code
    detail = response.json()["detail"]
    assert {"title", "spec"} <= set(detail)
    assert "NUL character" in detail["title"][0]
    assert not OutcomeAssessment.objects.exists()
