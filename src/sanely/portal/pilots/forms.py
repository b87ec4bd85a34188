"""The evidence form: a data file, and either a SPEC.toml or the same choices as fields."""

import tomllib
from typing import Any

from django import forms

DESIGNS = [
    ("threshold", "Against a fixed threshold"),
    ("before_after", "Before and after"),
    ("two_group", "Pilot against a comparison group"),
    ("did", "Difference in differences"),
    ("its", "Interrupted time series"),
    ("synthetic_control", "Synthetic control (one pilot unit against a mix of others)"),
    ("staggered", "Staggered adoption (units join the pilot at different times)"),
]
COMPARISONS = [
    ("", "Not a staggered adoption"),
    ("never_treated", "Units never in the pilot"),
    ("not_yet_treated", "Units never in the pilot, and those not yet in it"),
]
STATISTICS = [
    ("mean", "Mean"),
    ("proportion", "Proportion (0/1 values)"),
    ("total", "Total"),
    ("rate", "Rate (per unit of exposure)"),
    ("ratio", "Ratio of sums"),
    ("median", "Median"),
]
COMPARATORS = [(">=", "at least"), (">", "more than"), ("<=", "at most"), ("<", "less than")]
STANDARDS = [
    ("ci_bound", "The whole confidence interval must clear the threshold"),
    ("estimate", "The estimate must clear the threshold"),
]
METHODS = [
    ("auto", "Chosen for the data (wild cluster bootstrap below 50 clusters, else formulas)"),
    ("analytic", "Analytic (formulas)"),
    ("bootstrap", "Bootstrap (resampling units)"),
    ("wild", "Wild cluster bootstrap (for few clusters)"),
]

# form field -> (spec table, key, is a comma-separated list)
SPEC_FIELDS: dict[str, tuple[str, str, bool]] = {
    "value": ("columns", "value", False),
    "exposure": ("columns", "exposure", False),
    "unit": ("columns", "unit", False),
    "period": ("columns", "period", False),
    "group": ("columns", "group", False),
    "design": ("design", "kind", False),
    "treated": ("design", "treated", True),
    "control": ("design", "control", True),
    "before": ("design", "before", True),
    "after": ("design", "after", True),
    "change_at": ("design", "change_at", False),
    "comparison": ("design", "comparison", False),
    "statistic": ("metric", "statistic", False),
    "label": ("metric", "label", False),
    "comparator": ("target", "comparator", False),
    "threshold": ("target", "threshold", False),
    "confidence": ("target", "confidence", False),
    "standard": ("target", "standard", False),
    "method": ("inference", "method", False),
    "replicates": ("inference", "replicates", False),
    "seed": ("inference", "seed", False),
}


class AssessmentForm(forms.Form):
    # Presence of the title and the file is checked by the service, with everything else at once.
    title = forms.CharField(max_length=200, required=False)
    organisation_id = forms.TypedChoiceField(coerce=int, choices=())
    data_file = forms.FileField(required=False)
    spec_file = forms.FileField(required=False)
    value = forms.CharField(required=False, max_length=200)
    exposure = forms.CharField(required=False, max_length=200)
    unit = forms.CharField(required=False, max_length=200)
    period = forms.CharField(required=False, max_length=200)
    group = forms.CharField(required=False, max_length=200)
    design = forms.ChoiceField(choices=DESIGNS, initial="threshold")
    treated = forms.CharField(required=False)
    control = forms.CharField(required=False)
    before = forms.CharField(required=False)
    after = forms.CharField(required=False)
    change_at = forms.CharField(required=False, max_length=60)
    comparison = forms.ChoiceField(choices=COMPARISONS, required=False)
    statistic = forms.ChoiceField(choices=STATISTICS, initial="mean")
    label = forms.CharField(required=False, max_length=200)
    comparator = forms.ChoiceField(choices=[("", "No target"), *COMPARATORS], required=False)
    threshold = forms.FloatField(required=False)
    confidence = forms.FloatField(required=False, min_value=0.5, max_value=0.999, initial=0.95)
    standard = forms.ChoiceField(choices=STANDARDS, initial="ci_bound")
    method = forms.ChoiceField(choices=METHODS, initial="auto")
    replicates = forms.IntegerField(required=False, min_value=100, max_value=100_000)
    seed = forms.IntegerField(required=False, min_value=0)
    procurement_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    target_key = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = organisations  # type: ignore[attr-defined]

    def spec_mapping(self) -> dict[str, Any]:
        """The spec as SPEC.toml's tables: from the uploaded file when there is one."""
        upload = self.cleaned_data.get("spec_file")
        if upload:
            try:
                return tomllib.loads(upload.read().decode("utf-8-sig"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise forms.ValidationError(
                    {"spec_file": f"The spec is not valid TOML: {error}."}
                ) from None
        return spec_from_fields(self.cleaned_data)


def spec_from_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Nest the flat form fields into SPEC.toml's tables, leaving out what was not given."""
    spec: dict[str, dict[str, Any]] = {}
    for name, (table, key, is_list) in SPEC_FIELDS.items():
        value = data.get(name)
        if value in (None, ""):
            continue
        if is_list:
            value = [item.strip() for item in str(value).split(",") if item.strip()]
        spec.setdefault(table, {})[key] = value
    if "comparator" not in spec.get("target", {}):
        spec.pop("target", None)
    return spec
