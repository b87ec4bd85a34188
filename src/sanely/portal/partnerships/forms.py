"""The partnership's forms: plain fields, each named as the service names it."""

from django import forms

from .models import Outcome, Validation


class EvidenceForm(forms.Form):
    target_key = forms.ChoiceField(choices=())
    part = forms.CharField(max_length=200, required=False)
    data_file = forms.FileField(required=False)

    def __init__(self, *args: object, targets: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["target_key"].choices = targets  # type: ignore[attr-defined]


class ValidationForm(forms.Form):
    validation = forms.ChoiceField(
        choices=[
            (Validation.AUTHORITY, Validation.AUTHORITY.label),
            (Validation.INDEPENDENT, Validation.INDEPENDENT.label),
        ]
    )


class AcceptanceForm(forms.Form):
    subject = forms.ChoiceField(choices=())
    name = forms.CharField(max_length=500)
    passed = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, max_length=5000, required=False)

    def __init__(self, *args: object, subjects: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]


class GateOpenForm(forms.Form):
    phase_key = forms.ChoiceField(choices=())

    def __init__(self, *args: object, phases: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["phase_key"].choices = phases  # type: ignore[attr-defined]


class GateReportForm(forms.Form):
    contract_id = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(widget=forms.Textarea, max_length=20_000)


OUTCOME_CHOICES = [(o.value, o.label) for o in Outcome]
