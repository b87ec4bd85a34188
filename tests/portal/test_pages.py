"""The pages people use: sign-in with throttling, passwords, organisations, tokens, the audit trail."""

import re

import pytest
from cast import PASSWORD
from django.test import Client

from sanely.portal.accounts import events as accounts_events
from sanely.portal.accounts.models import ApiToken, LoginAttempt, Membership, Organisation, Role
from sanely.portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post("/sign-in", {"email": email, "password": password})


def test_home_page_is_brand_neutral_with_a_strict_csp(db):
    response = Client().get("/")
    assert 200 == response.status_code
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # Every script on the page carries this response's nonce.
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert "govuk-header__logotype" not in response.text  # no crown
    assert "Innovation Partnerships" in response.text


def test_sign_in_and_out_are_audited(wessex):
    client = Client()
    email = wessex.user(Role.COMMISSIONER).email
    response = sign_in(client, email, PASSWORD)
    assert 302 == response.status_code
    assert "Wessex County Council" in client.get("/").text
    assert 302 == client.post("/sign-out").status_code
    actions = list(AuditEvent.objects.filter(actor__email=email).values_list("action", flat=True))
    assert [accounts_events.USER_SIGNED_IN, accounts_events.USER_SIGNED_OUT] == actions[-2:]


def test_a_wrong_password_shows_one_error_and_is_recorded(wessex):
    response = sign_in(Client(), wessex.user(Role.COMMISSIONER).email, "wrong")
    assert 400 == response.status_code
    assert "Enter a correct email address and password" in response.text
    assert "govuk-error-summary" in response.text
    assert 1 == LoginAttempt.objects.count()


def test_sign_in_is_throttled_after_repeated_failures(wessex, settings):
    email = wessex.user(Role.COMMISSIONER).email
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, email, "wrong")
    # Even the right password is refused now, without saying whether it was right.
    response = sign_in(client, email, PASSWORD)
    assert 429 == response.status_code
    assert "Too many failed sign-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_an_empty_form_names_each_field(db):
    response = Client().post("/sign-in", {})
    assert 400 == response.status_code
    assert 'href="#email"' in response.text
    assert 'href="#password"' in response.text


def test_an_unsafe_next_url_is_ignored(wessex):
    client = Client()
    response = client.post(
        "/sign-in?next=https://evil.example/",
        {"email": wessex.user(Role.COMMISSIONER).email, "password": PASSWORD},
    )
    assert "/" == response.headers["Location"]


def test_password_reset_by_email_end_to_end(wessex, mailoutbox, django_capture_on_commit_callbacks):
    email = wessex.user(Role.EVALUATOR).email
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password-reset", {"email": email})
    assert "Check your email" in response.text
    link = re.search(r"https?://[^\s]+/password-set/[^\s]+", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    client = Client()
    mismatch = client.post(path, {"password": "a-new-long-passphrase-7", "confirm": "different"})
    assert "The passwords do not match" in mismatch.text
    assert (
        302
        == client.post(
            path, {"password": "a-new-long-passphrase-7", "confirm": "a-new-long-passphrase-7"}
        ).status_code
    )
    assert 302 == sign_in(Client(), email, "a-new-long-passphrase-7").status_code
    # The link works once.
    assert 400 == Client().get(path).status_code


def test_password_reset_answers_the_same_for_unknown_addresses(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/password-reset", {"email": "nobody@nowhere.example"})
    assert "Check your email" in response.text
    assert [] == mailoutbox


def reset_queries(email, capture):
    """The SQL a reset request runs (without its values), its task not yet run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, capture(execute=False):
        response = Client().post("/password-reset", {"email": email})
    assert 200 == response.status_code
    # Savepoint names differ from one transaction to the next; the quoted values hold the
    # address and the time.
    return [
        re.sub(r"'[^']*'", "?", re.sub(r'"s\d+_x\d+"', "SP", q["sql"]))
        for q in queries.captured_queries
    ]


def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    wessex, django_capture_on_commit_callbacks
):
    known = reset_queries(wessex.user(Role.EVALUATOR).email, django_capture_on_commit_callbacks)
    unknown = reset_queries("nobody@nowhere.example", django_capture_on_commit_callbacks)
    assert known == unknown
    assert not any("accounts_user" in sql for sql in known)  # nobody is looked up


@pytest.mark.parametrize("known", [True, False], ids=["known", "unknown"])
def test_password_reset_is_limited_alike_for_every_address(
    wessex, mailoutbox, django_capture_on_commit_callbacks, settings, known
):
    settings.PASSWORD_RESET_LIMIT = 2
    email = wessex.user(Role.EVALUATOR).email if known else "nobody@nowhere.example"
    with django_capture_on_commit_callbacks(execute=True):
        answers = [Client().post("/password-reset", {"email": email}) for _ in range(3)]
    assert [200, 200, 429] == [a.status_code for a in answers]
    assert "Too many password reset requests. Wait 60 minutes" in answers[2].text
    assert (2 if known else 0) == len(mailoutbox)


def test_a_weak_new_password_is_refused(wessex):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = wessex.user(Role.EVALUATOR)
    path = f"/password-set/{urlsafe_base64_encode(force_bytes(user.pk))}/{default_token_generator.make_token(user)}"
    response = Client().post(path, {"password": "password", "confirm": "password"})
    assert 400 == response.status_code
    assert "too common" in response.text


def test_a_broken_reset_link_is_explained(db):
    assert 400 == Client().get("/password-set/zzz/nonsense").status_code


def test_procurement_lead_edits_the_organisation_and_adds_a_person(
    wessex, mailoutbox, django_capture_on_commit_callbacks
):
    client = wessex.client(Role.PROCUREMENT_LEAD)
    org = wessex.organisation
    page = client.get(f"/organisations/{org.pk}/")
    assert "Change the details" in page.text
    bad = client.post(f"/organisations/{org.pk}/edit", {"name": "", "website": "not a url"})
    assert 400 == bad.status_code
    assert 'href="#name"' in bad.text
    assert 'href="#website"' in bad.text
    assert (
        302
        == client.post(
            f"/organisations/{org.pk}/edit", {"name": "Wessex Council", "nation": "england"}
        ).status_code
    )
    assert "Wessex Council" == Organisation.objects.get(pk=org.pk).name
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            f"/organisations/{org.pk}/members/add",
            {"email": "newbie@wessex.example", "full_name": "New Bie", "role": "evaluator"},
        )
    assert 302 == added.status_code
    assert ["newbie@wessex.example"] == mailoutbox[0].to


def test_other_roles_see_no_admin_actions_and_cannot_use_them(wessex):
    client = wessex.client(Role.EVALUATOR)
    org = wessex.organisation
    assert "Change the details" not in client.get(f"/organisations/{org.pk}/").text
    assert 403 == client.get(f"/organisations/{org.pk}/edit").status_code
    victim = Membership.objects.get(user=wessex.user(Role.AUDITOR))
    assert 403 == client.post(f"/organisations/{org.pk}/members/{victim.pk}/remove").status_code
    assert Membership.objects.filter(pk=victim.pk).exists()


def test_the_last_admin_cannot_be_removed(wessex):
    lead = Membership.objects.get(user=wessex.user(Role.PROCUREMENT_LEAD))
    client = wessex.client(Role.PROCUREMENT_LEAD)
    client.post(f"/organisations/{wessex.organisation.pk}/members/{lead.pk}/remove")
    assert Membership.objects.filter(pk=lead.pk).exists()
    assert "only admin" in client.get(f"/organisations/{wessex.organisation.pk}/").text


def test_making_and_revoking_a_token_in_the_browser(wessex):
    client = wessex.client(Role.FINANCE_OFFICER)
    response = client.post(
        "/account/tokens",
        {"name": "finance export", "organisation_id": wessex.organisation.pk, "days": 30},
    )
    secret = re.search(r"sanely_pat_[A-Za-z0-9_-]+", response.text).group(0)
    assert (
        200 == Client(headers={"authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code
    )
    token = ApiToken.objects.get(name="finance export")
    assert secret not in client.get("/account/tokens").text
    client.post(f"/account/tokens/{token.pk}/revoke")
    assert (
        401 == Client(headers={"authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code
    )


def test_the_audit_trail_page_filters(wessex):
    client = wessex.client(Role.AUDITOR)
    everything = client.get("/audit/")
    assert accounts_events.MEMBERSHIP_ADDED in everything.text
    only = client.get("/audit/?action=organisation.created")
    assert accounts_events.ORGANISATION_CREATED in only.text
    assert accounts_events.MEMBERSHIP_ADDED not in only.text
    assert 400 == client.get("/audit/?date_from=yesterday").status_code
    assert 403 == wessex.client(Role.EVALUATOR).get("/audit/").status_code


def test_pages_that_need_sign_in_redirect_to_it(wessex):
    response = Client().get(f"/organisations/{wessex.organisation.pk}/")
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_unknown_pages_are_404_pages(db):
    response = Client().get("/nothing-here")
    assert 404 == response.status_code
    assert "Page not found" in response.text


def test_a_step_not_yet_possible_is_a_page_with_its_reason_not_a_server_error(wessex):
    from competition import procurement_at

    evaluating = procurement_at(wessex, "evaluation")
    page = wessex.client(Role.COMMISSIONER).get(f"/evaluation/procurements/{evaluating.pk}/results")
    assert 409 == page.status_code
    assert "This cannot be done yet" in page.text
    assert "declared that you have no conflict of interest" in page.text


def test_a_refusal_page_links_to_the_procurement_and_the_page_before_never_to_what_it_refused(
    wessex,
):
    from competition import procurement_at

    evaluating = procurement_at(wessex, "evaluation")
    refused = f"/evaluation/procurements/{evaluating.pk}/results"
    came_from = f"/evaluation/procurements/{evaluating.pk}/"
    page = wessex.client(Role.COMMISSIONER).get(
        refused, HTTP_REFERER=f"http://testserver{came_from}"
    )
    links = re.findall(r'href="([^"]+)"', page.text.split("<main", 1)[1])
    assert 409 == page.status_code
    assert f"/procurements/{evaluating.pk}/" in links
    assert came_from in links
    assert refused not in links


def test_a_role_refusal_says_who_may_and_never_tells_a_supplier_admin_to_ask_itself(
    wessex, kestrel
):
    from competition import procurement_at

    evaluating = procurement_at(wessex, "evaluation")
    auditor = wessex.client(Role.AUDITOR).get(f"/evaluation/procurements/{evaluating.pk}/declare")
    assert 403 == auditor.status_code
    assert "evaluators, procurement leads and commissioners evaluate" in auditor.text
    supplier = kestrel.client(Role.SUPPLIER_ADMIN).get("/procurements/new")
    assert 403 == supplier.status_code
    assert "Only a commissioner or procurement lead can start a procurement" in supplier.text
    assert "supplier admin" not in supplier.text


@pytest.mark.parametrize("path", ["/", "/sign-in", "/opportunities/", "/no-such-page"])
def test_a_host_not_allowed_gets_the_400_page_not_a_server_error(db, path):
    response = Client(raise_request_exception=False).get(path, HTTP_HOST="evil.example")
    assert 400 == response.status_code
    assert "Bad request" in response.text
    assert "The request could not be read." in response.text
