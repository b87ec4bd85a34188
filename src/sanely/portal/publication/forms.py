"""The search of the public list, and the authority's review of a fact before it is published."""

from django import forms

from .grounds import Ground


def _choice(what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": f"Choose {what} from the list, or any."},
    )


class SearchForm(forms.Form):
    """The public search: words, and a stage, an outcome and a verdict each from its list."""

    words = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Search with at most 200 characters."},
    )
    stage = _choice("a stage")
    outcome = _choice("an outcome")
    verdict = _choice("a verdict")

    def __init__(
        self,
        *args: object,
        stages: dict[str, str],
        outcomes: dict[str, str],
        verdicts: dict[str, str],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, any_, offered in (
            ("stage", "Any stage", stages),
            ("outcome", "Any outcome", outcomes),
            ("verdict", "Any verdict", verdicts),
        ):
            self.fields[name].choices = [("", any_), *offered.items()]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", "Publish it"), ("suppress", "Keep the whole release back")]
    )
    withhold = forms.MultipleChoiceField(required=False)
    ground = forms.ChoiceField(required=False)
    explanation = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
    announced = forms.BooleanField(required=False, initial=True)

    def __init__(
        self,
        *args: object,
        withholdable: list[tuple[str, str]],
        grounds: tuple[Ground, ...],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["withhold"].choices = withholdable  # type: ignore[attr-defined]
        self.fields["ground"].choices = [("", "No ground: nothing is withheld")] + [  # type: ignore[attr-defined]
            (g.id, f"{g.label} ({g.citation})") for g in grounds
        ]


class PaymentsApprovalForm(forms.Form):
    """The approval a payments compliance notice carries (reg 38(2)(e)); the service checks it."""

    approver_name = forms.CharField(required=False, max_length=200)
    approver_job_title = forms.CharField(required=False, max_length=200)
    enquiry_contact = forms.CharField(required=False, max_length=200)
    confirmed = forms.BooleanField(required=False)
