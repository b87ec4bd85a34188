"""Forms for the negotiation pages: every rule is the services'; these only parse."""

from typing import Any

from django import forms

from .models import Audience

CHANGES = [
    ("other", "Other parts of the documents"),
    ("minimum_requirements", "The minimum requirements"),
    ("award_criteria", "The award criteria"),
]
UK_MINUTE = ["%Y-%m-%d %H:%M"]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeetingForm(forms.Form):
    round_id = forms.TypedChoiceField(coerce=int, choices=())
    organisation_id = forms.TypedChoiceField(coerce=int, choices=())
    # In UK time, as the authority wrote it down.
    held_at = forms.DateTimeField(input_formats=UK_MINUTE)
    attendees = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)
    minutes = forms.CharField(widget=forms.Textarea, required=False, max_length=50000)
    information_given = forms.CharField(widget=forms.Textarea, required=False, max_length=20000)
    proposed_change = forms.ChoiceField(
        choices=[("", "Nothing in the documents"), *CHANGES], required=False
    )
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)

    def __init__(
        self, *args: Any, rounds: list[tuple[int, str]], tenderers: list[tuple[int, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["round_id"].choices = rounds  # type: ignore[attr-defined]
        self.fields["organisation_id"].choices = tenderers  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        change = data["proposed_change"]
        return {
            "round_id": data["round_id"], "organisation_id": data["organisation_id"],
            "held_at": data["held_at"], "attendees": lines(data["attendees"]),
            "minutes": data["minutes"], "information_given": lines(data["information_given"]),
            "proposed_changes": [change] if change else [],
            "justification": data["justification"],
        }  # fmt: skip


class AnswerForm(forms.Form):
    audience = forms.ChoiceField(choices=Audience.choices)
    published_question = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)
    answer = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)


class RevisionForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    summary = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)
    affects = forms.ChoiceField(choices=CHANGES)
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
    new_deadline = forms.DateTimeField(input_formats=UK_MINUTE, required=False)
    extension_reason = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["affects"] = [data["affects"]]
        return data


class QuestionForm(forms.Form):
    question = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)


class ConsentForm(forms.Form):
    item = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
    recipient = forms.CharField(required=False, max_length=200)
    purpose = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
