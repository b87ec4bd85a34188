from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanely.portal.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
