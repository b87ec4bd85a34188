"""Forms for the negotiation pages: every rule is the services'; these only parse."""

from decimal import Decimal
from typing import Any

from django import forms

from sanely.portal.accounts.models import Organisation
from sanely.portal.evaluation.selectors import Place

from .models import Audience
from .services import TenderScore

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
            "round_id": data["round_id"],
            "organisation_id": data["organisation_id"],
            "held_at": data["held_at"],
            "attendees": lines(data["attendees"]),
            "minutes": data["minutes"],
            "information_given": lines(data["information_given"]),
            "proposed_changes": [change] if change else [],
            "justification": data["justification"],
        }


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


class ReductionForm(forms.Form):
    """The round, how many to keep, and a score per tenderer per place on the scale, and a price."""

    round_id = forms.TypedChoiceField(coerce=int, choices=())
    keep = forms.IntegerField(min_value=1, max_value=50)
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)

    def __init__(
        self,
        *args: Any,
        rounds: list[tuple[int, str]],
        tenderers: list[Organisation],
        places: list[Place],
        priced: bool,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["round_id"].choices = rounds  # type: ignore[attr-defined]
        self.places, self.priced, self.tenderers = places, priced, tenderers
        for tenderer in tenderers:
            for i, _ in enumerate(self.places):
                self.fields[f"t{tenderer.pk}_{i}"] = forms.DecimalField(
                    required=False, min_value=0, max_value=100, decimal_places=2
                )
            if self.priced:
                self.fields[f"t{tenderer.pk}_price"] = forms.DecimalField(
                    required=False, min_value=Decimal("0.01"), max_digits=14, decimal_places=2
                )

    def rows(self) -> list[tuple[Organisation, list[tuple[str, str]]]]:
        """Each tenderer with its fields' (name, label), for the template."""
        return [
            (
                t,
                [(f"t{t.pk}_{i}", place.label) for i, place in enumerate(self.places)]
                + ([(f"t{t.pk}_price", "Price (£)")] if self.priced else []),
            )
            for t in self.tenderers
        ]

    def scores(self) -> dict[int, TenderScore]:
        data = self.cleaned_data
        result = {}
        for tenderer in self.tenderers:
            marks: dict[str, dict[str, Decimal]] = {}
            for i, place in enumerate(self.places):
                if (mark := data.get(f"t{tenderer.pk}_{i}")) is not None:
                    marks.setdefault(place.criterion, {})[place.sub_criterion] = mark
            result[tenderer.pk] = TenderScore(marks, data.get(f"t{tenderer.pk}_price"))
        return result
