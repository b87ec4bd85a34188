"""Pages for signing in, passwords, organisations, members and API tokens."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.views.decorators.http import require_http_methods, require_POST

from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.core.pages import errors_context, page_guard

from . import selectors, services
from .forms import (
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
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(reverse("accounts:password_set", args=[uid, token]))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        email, at = form.cleaned_data["email"], now()
        try:
            services.sign_in_allowed(email=email, ip_address=_client_ip(request), now=at)
            user = authenticate(
                request, email=email.lower(), password=form.cleaned_data["password"]
            )
            if user is None:
                services.sign_in_failed(email=email, ip_address=_client_ip(request), now=at)
                raise ApplicationError("Enter a correct email address and password")
        except ApplicationError as error:
            return render(
                request,
                "accounts/sign_in.html",
                {**context, **errors_context(form=form, error=error)},
                status=error.status,
            )
        login(request, user)
        services.sign_in_succeeded(user=user, ip_address=_client_ip(request), now=at)
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return redirect(target if safe and target else settings.LOGIN_REDIRECT_URL)
    status = 400 if form.errors else 200
    return render(
        request, "accounts/sign_in.html", {**context, **errors_context(form=form)}, status=status
    )


@require_http_methods(["GET", "POST"])
def supplier_register(request: HttpRequest) -> HttpResponse:
    form = SupplierRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.supplier_register(
                organisation=form.organisation(),
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                now=now(),
            )
        except ApplicationError as error:
            context = {"form": form, **errors_context(form=form, error=error)}
            return render(request, "accounts/register.html", context, status=error.status)
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"{membership.organisation.name} is registered. You are its admin."
        )
        return redirect("accounts:organisation", organisation_id=membership.organisation_id)
    context = {"form": form, **errors_context(form=form)}
    return render(request, "accounts/register.html", context, status=400 if form.errors else 200)


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
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(
            email=form.cleaned_data["email"],
            now=now(),
            reset_link=lambda user: password_set_link(request, user),
        )
        return render(
            request, "accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form, **errors_context(form=form)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (ValueError, UnicodeDecodeError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_link_invalid.html", {}, status=400)
    form = PasswordSetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(user=user, password=form.cleaned_data["password"], now=now())
        except ApplicationError as error:
            return render(
                request,
                "accounts/password_set.html",
                {"form": form, **errors_context(form=form, error=error)},
                status=400,
            )
        messages.success(request, "Your password has been set. You can now sign in.")
        return redirect("accounts:login")
    return render(
        request,
        "accounts/password_set.html",
        {"form": form, **errors_context(form=form)},
        status=400 if form.errors else 200,
    )


def _actor(request: HttpRequest) -> selectors.Actor:
    return selectors.Actor.for_session(request.user)  # type: ignore[arg-type]


@login_required
@page_guard
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = _actor(request)
    org, membership = selectors.access_organisation(actor=actor, organisation_id=organisation_id)
    can_admin = any(m.is_admin for m in actor.in_organisation(organisation_id))
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": org,
            "membership": membership,
            "can_admin": can_admin,
            "members": selectors.membership_list(organisation=org),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = _actor(request)
    org, _ = selectors.access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    initial = {field: getattr(org, field) for field in services.ORGANISATION_FIELDS}
    form = OrganisationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=actor, organisation_id=org.pk, changes=form.cleaned_data, now=now()
            )
        except ApplicationError as error:
            return render(
                request,
                "accounts/organisation_edit.html",
                {"organisation": org, "form": form, **errors_context(form=form, error=error)},
                status=error.status,
            )
        messages.success(request, "The organisation's details were saved.")
        return redirect("accounts:organisation", organisation_id=org.pk)
    return render(
        request,
        "accounts/organisation_edit.html",
        {"organisation": org, "form": form, **errors_context(form=form)},
        status=400 if form.errors else 200,
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = _actor(request)
    org, _ = selectors.access_organisation(actor=actor, organisation_id=organisation_id, admin=True)
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.member_invite(
                actor=actor,
                organisation_id=org.pk,
                now=now(),
                reset_link=lambda user: password_set_link(request, user),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            return render(
                request,
                "accounts/member_add.html",
                {"organisation": org, "form": form, **errors_context(form=form, error=error)},
                status=error.status,
            )
        messages.success(
            request, f"{membership.user.email} was added as {membership.get_role_display()}."
        )
        return redirect("accounts:organisation", organisation_id=org.pk)
    return render(
        request,
        "accounts/member_add.html",
        {"organisation": org, "form": form, **errors_context(form=form)},
        status=400 if form.errors else 200,
    )


@login_required
@page_guard
@require_POST
def member_remove(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    actor = _actor(request)
    membership = selectors.access_membership(
        actor=actor, organisation_id=organisation_id, membership_id=membership_id, admin=True
    )
    try:
        services.membership_remove(actor=actor, membership=membership, now=now())
        messages.success(
            request,
            f"{membership.user.email} no longer has the role {membership.get_role_display()}.",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("accounts:organisation", organisation_id=organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    choices = [
        (m.organisation_id, f"{m.organisation.name} ({m.get_role_display()})")
        for m in actor.memberships
    ]
    form = TokenForm(request.POST if request.method == "POST" else None, organisations=choices)
    context: dict[str, Any] = {
        "form": form,
        "tokens": selectors.token_list_for(user=actor.user),
        "at": now(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(actor=actor, now=now(), **form.cleaned_data)
        except ApplicationError as error:
            return render(
                request,
                "accounts/tokens.html",
                {**context, **errors_context(form=form, error=error)},
                status=error.status,
            )
        return render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    return render(
        request,
        "accounts/tokens.html",
        {**context, **errors_context(form=form)},
        status=400 if form.errors else 200,
    )


@login_required
@page_guard
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = _actor(request)
    token = selectors.access_token(actor=actor, token_id=token_id)
    services.token_revoke(actor=actor, token=token, now=now())
    messages.success(request, f"The token ‘{token.name}’ was revoked.")
    return redirect("accounts:tokens")
