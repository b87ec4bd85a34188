"""Forms of the evaluation pages; the services check everything that matters."""

from typing import Any

from django import forms

from .models import LowTenderDecision
from .selectors import Place

CONFLICT_CHOICES = [("no", "I have no conflict of interest"), ("yes", "I have a conflict")]


class DeclarationForm(forms.Form):
    conflict = forms.ChoiceField(choices=CONFLICT_CHOICES)
    details = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)
    moderate_only = forms.BooleanField(required=False)


class ScoresForm(forms.Form):
    """A score and a justification for every place, named score_<i> and justification_<i>."""

    def __init__(self, *args: Any, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        for i, _ in enumerate(places):
            self.fields[f"score_{i}"] = forms.CharField(required=False, max_length=20)
            self.fields[f"justification_{i}"] = forms.CharField(
                widget=forms.Textarea, required=False, max_length=10000
            )

    def entries(self) -> list[tuple[int, Place, str, str]]:
        """The places given a score: (index, place, score, justification)."""
        return [
            (i, place, self.cleaned_data[f"score_{i}"], self.cleaned_data[f"justification_{i}"])
            for i, place in enumerate(self.places)
            if self.cleaned_data[f"score_{i}"].strip()
        ]


class ConsensusForm(forms.Form):
    place = forms.IntegerField(min_value=0)
    score = forms.CharField(max_length=20)
    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)


class StrengthsForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)


class PriceForm(forms.Form):
    price = forms.CharField(max_length=30)
    version_id = forms.IntegerField(required=False)


class LowDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=LowTenderDecision.choices)
    explanation = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)


class TieForm(forms.Form):
    chosen = forms.MultipleChoiceField(choices=(), required=False)
    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=10000)

    def __init__(self, *args: Any, tied: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(str(pk), name) for pk, name in tied]  # type: ignore[attr-defined]
