"""The form to mark one candidate against every published criterion, on one page."""

from typing import Any

from django import forms

PASSED_CHOICES = [("", "Choose"), ("yes", "Met"), ("no", "Not met")]


class MarksForm(forms.Form):
    """
    One group of fields per published criterion, named as the service names their problems
    (`marks.0.passed`, `marks.1.score`, `marks.1.reason`…) so each error sits by its field.
    Presence and the scale are the service's checks, with every other problem at once.
    """

    candidate_id = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for index, criterion in enumerate(criteria):
            if criterion.assessment == "pass_fail":
                self.fields[f"marks.{index}.passed"] = forms.ChoiceField(
                    choices=PASSED_CHOICES, required=False
                )
            else:
                self.fields[f"marks.{index}.score"] = forms.DecimalField(
                    required=False, max_digits=8
                )
            self.fields[f"marks.{index}.reason"] = forms.CharField(
                widget=forms.Textarea, required=False, max_length=5000
            )

    def entries(self) -> list[dict[str, Any]]:
        """The marks as the service takes them, one per criterion, in the published order."""
        data = self.cleaned_data
        passed = {"yes": True, "no": False}
        return [
            {
                "criterion": criterion.name,
                "passed": passed.get(data.get(f"marks.{index}.passed") or ""),
                "score": data.get(f"marks.{index}.score"),
                "reason": data.get(f"marks.{index}.reason", ""),
            }
            for index, criterion in enumerate(self.criteria)
        ]


class DecideForm(forms.Form):
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
