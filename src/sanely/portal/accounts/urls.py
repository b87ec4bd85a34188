from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in", views.sign_in, name="login"),
    path("sign-in/code", views.sign_in_code, name="sign_in_code"),
    path("sign-out", views.sign_out, name="logout_confirm"),
    path("register", views.supplier_register, name="register"),
    path("password-reset", views.password_reset, name="password_reset"),
    path("password-set/<str:uidb64>/<str:token>", views.password_set, name="password_set"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path(
        "organisations/<int:organisation_id>/edit",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path("organisations/<int:organisation_id>/members/add", views.member_add, name="member_add"),
    path(
        "organisations/<int:organisation_id>/members/<int:membership_id>/remove",
        views.member_remove,
        name="member_remove",
    ),
    path("account/second-factor", views.second_factor, name="second_factor"),
    path("account/tokens", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
]
