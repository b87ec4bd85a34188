from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sanely.portal.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
