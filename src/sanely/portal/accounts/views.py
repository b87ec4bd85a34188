"""Pages for signing in, passwords, organisations, members and API tokens."""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanely.portal.accounts.actors import page_actor
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services, two_factor
from .forms import (
    CodeForm,
    MemberForm,
    OrganisationForm,
    PasswordResetForm,
    PasswordSetForm,
    SignInForm,
    SupplierRegistrationForm,
    TokenForm,
)
from .models import User


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def password_set_link(request: HttpRequest, user: User) -> str:
    return services.password_set_url(request.build_absolute_uri("/"), user)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/sign_in.html", form=form)
    email, at = form.cleaned_data["email"], now()
    try:
        services.sign_in_allowed(email=email, ip_address=_client_ip(request), now=at)
        user = authenticate(request, email=email.lower(), password=form.cleaned_data["password"])
        if user is None:
            services.sign_in_failed(email=email, ip_address=_client_ip(request), now=at)
            raise ApplicationError("Enter a correct email address and password")
    except ApplicationError as error:
        return form_page(request, "accounts/sign_in.html", form=form, error=error)
    if two_factor.second_factor_required(user):
        # The password was right; the session holds who it was for until the code is given.
        request.session[PENDING] = {"user": user.pk, "at": at.timestamp()}
        return redirect(_with_next(request, "accounts:sign_in_code"))
    return _signed_in(request, user, at)


PENDING = "sanely_second_factor_pending"
PENDING_SECONDS = 5 * 60


def _with_next(request: HttpRequest, route: str) -> str:
    target = request.GET.get("next", "")
    return reverse(route) + (f"?{urlencode({'next': target})}" if target else "")


def _signed_in(request: HttpRequest, user: User, at: datetime) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    services.sign_in_succeeded(user=user, ip_address=_client_ip(request), now=at)
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if safe and target else settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest, at: datetime) -> User | None:
    """Whose password was given in the last five minutes, waiting for their code."""
    pending = request.session.get(PENDING) or {}
    if at.timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=int(pending["user"]), is_active=True).first()


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for people with an authenticator app."""
    at = now()
    user = _pending_user(request, at)
    if user is None:
        messages.error(request, "Sign in again: the time to enter your code ran out.")
        return redirect(_with_next(request, "accounts:login"))
    form = CodeForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/sign_in_code.html", form=form)
    try:
        services.sign_in_allowed(email=user.email, ip_address=_client_ip(request), now=at)
        try:
            two_factor.second_factor_check(user=user, code=form.cleaned_data["code"], now=at)
        except ApplicationError:
            services.sign_in_failed(email=user.email, ip_address=_client_ip(request), now=at)
            raise
    except ApplicationError as error:
        return form_page(request, "accounts/sign_in_code.html", form=form, error=error)
    del request.session[PENDING]
    return _signed_in(request, user, at)


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: begin (a text key shown once), then confirm with a code."""
    user, page = page_actor(request).user, "accounts/second_factor.html"
    form = CodeForm(_posted(request) if "code" in request.POST else None)
    if request.method != "POST":
        context = {
            "on": two_factor.second_factor_required(user),
            "offered": two_factor.second_factor_offered(user),
        }
        return render(request, page, context)
    if "code" not in request.POST:
        key = two_factor.second_factor_begin(user=user, now=now())
        return form_page(request, page, form=form, key=key)
    if not form.is_valid():
        return form_page(request, page, form=form, key="")
    try:
        codes = two_factor.second_factor_confirm(
            user=user, code=form.cleaned_data["code"], now=now()
        )
    except ApplicationError as error:
        return form_page(request, page, form=form, error=error, key="")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_http_methods(["GET", "POST"])
def supplier_register(request: HttpRequest) -> HttpResponse:
    form = SupplierRegistrationForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/register.html", form=form)
    try:
        membership = services.supplier_register(
            organisation=form.organisation(),
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            now=now(),
        )
    except ApplicationError as error:
        return form_page(request, "accounts/register.html", form=form, error=error)
    login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"{membership.organisation.name} is registered. You are its admin.")
    return redirect("accounts:organisation", organisation_id=membership.organisation_id)


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.is_authenticated:
            services.signed_out(user=request.user, now=now())
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("home")
    return render(request, "accounts/sign_out.html", {})


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/password_reset.html", form=form)
    email = form.cleaned_data["email"]
    try:
        services.password_reset_request(
            email=email,
            ip_address=_client_ip(request),
            site=request.build_absolute_uri("/"),
            now=now(),
        )
    except ApplicationError as error:
        return form_page(request, "accounts/password_reset.html", form=form, error=error)
    return render(request, "accounts/password_reset_sent.html", {"email": email})


@require_http_methods(["GET", "POST"])
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (ValueError, UnicodeDecodeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_link_invalid.html", {}, status=400)
    form = PasswordSetForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/password_set.html", form=form)
    try:
        services.password_set(user=user, password=form.cleaned_data["password"], now=now())
    except ApplicationError as error:
        return form_page(request, "accounts/password_set.html", form=form, error=error)
    messages.success(request, "Your password has been set. You can now sign in.")
    return redirect("accounts:login")


@require_GET
@login_required
@page_guard
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = page_actor(request)
    org, membership = selectors.access_organisation(actor=actor, organisation_id=organisation_id)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "membership": membership,
            "can_admin": any(m.is_admin for m in actor.in_organisation(organisation_id)),
            "members": selectors.membership_list(organisation=org),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = page_actor(request)
    org, _ = selectors.access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    initial = {field: getattr(org, field) for field in services.ORGANISATION_FIELDS}
    form = OrganisationForm(_posted(request), initial=initial)
    page = "accounts/organisation_edit.html"
    if request.method != "POST" or not form.is_valid():
        return form_page(request, page, form=form, organisation=org)
    try:
        services.organisation_update(
            actor=actor, organisation_id=org.pk, changes=form.cleaned_data, now=now()
        )
    except ApplicationError as error:
        return form_page(request, page, form=form, error=error, organisation=org)
    messages.success(request, "The organisation's details were saved.")
    return redirect("accounts:organisation", organisation_id=org.pk)


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = page_actor(request)
    org, _ = selectors.access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    form = MemberForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/member_add.html", form=form, organisation=org)
    try:
        membership = services.member_invite(
            actor=actor,
            organisation_id=org.pk,
            now=now(),
            reset_link=lambda user: password_set_link(request, user),
            **form.cleaned_data,
        )
    except ApplicationError as error:
        return form_page(
            request, "accounts/member_add.html", form=form, error=error, organisation=org
        )
    role = membership.get_role_display()
    messages.success(request, f"{membership.user.email} was added as {role}.")
    return redirect("accounts:organisation", organisation_id=org.pk)


@login_required
@page_guard
@require_POST
def member_remove(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    actor = page_actor(request)
    membership = selectors.access_membership(
        actor=actor, organisation_id=organisation_id, membership_id=membership_id, admin=True
    )
    try:
        services.membership_remove(actor=actor, membership=membership, now=now())
        role = membership.get_role_display()
        messages.success(request, f"{membership.user.email} no longer has the role {role}.")
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation", organisation_id=organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    choices = [
        (m.organisation_id, f"{m.organisation.name} ({m.get_role_display()})")
        for m in actor.memberships
    ]
    form = TokenForm(_posted(request), organisations=choices)
    listed = selectors.token_list_for(user=actor.user)
    if request.method != "POST" or not form.is_valid():
        return form_page(request, "accounts/tokens.html", form=form, tokens=listed)
    try:
        token, secret = services.token_create(actor=actor, now=now(), **form.cleaned_data)
    except ApplicationError as error:
        return form_page(request, "accounts/tokens.html", form=form, error=error, tokens=listed)
    return render(request, "accounts/token_created.html", {"token": token, "secret": secret})


@login_required
@page_guard
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = page_actor(request)
    token = selectors.access_token(actor=actor, token_id=token_id)
    services.token_revoke(actor=actor, token=token, now=now())
    messages.success(request, f"The token ‘{token.name}’ was revoked.")
    return redirect("accounts:tokens")
