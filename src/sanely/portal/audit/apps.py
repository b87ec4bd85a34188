from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sanely.portal.audit"
    label = "audit"
    verbose_name = "Audit trail"
