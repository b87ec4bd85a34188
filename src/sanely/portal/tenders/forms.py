"""Forms for opening a round and submitting a file."""

from typing import Any

from django import forms

from .models import RoundKind


class RoundForm(forms.Form):
    kind = forms.ChoiceField(choices=RoundKind.choices)
    number = forms.IntegerField(min_value=1, max_value=50, initial=1)
    # In UK time, as the notice gives it.
    deadline = forms.DateTimeField(input_formats=["%Y-%m-%d %H:%M"])
    final = forms.BooleanField(required=False)
    parts = forms.CharField(widget=forms.Textarea, required=False)
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)

    def part_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["parts"].splitlines() if line.strip()]


class SubmitForm(forms.Form):
    part = forms.ChoiceField(choices=())
    # Presence is the service's check, with every other problem at once.
    file = forms.FileField(required=False)

    def __init__(self, *args: Any, parts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [(p, p) for p in parts]  # type: ignore[attr-defined]


class ExtensionForm(forms.Form):
    # In UK time, as suppliers read it.
    new_deadline = forms.DateTimeField(input_formats=["%Y-%m-%d %H:%M"])
    reason = forms.CharField(widget=forms.Textarea, max_length=5000, required=False)
    platform_incident = forms.BooleanField(required=False)
