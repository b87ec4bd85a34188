from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "sanely.portal.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships after award"

    def ready(self) -> None:
        from sanely.portal.award.signals import contracts_concluded

        from .services.begin import partnership_begin_on_conclusion

        contracts_concluded.connect(partnership_begin_on_conclusion, dispatch_uid="partnerships")
