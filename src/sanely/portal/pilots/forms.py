"""The evidence form: a data file, and either a SPEC.toml or the same choices as fields."""

import re
import tomllib
from typing import Any

from django import forms

from sanely import evidence
from sanely.portal.core.errors import ApplicationError, ValidationFailed

DESIGNS = [
    ("threshold", "Against a fixed threshold"),
    ("before_after", "Before and after"),
    ("two_group", "Pilot against a comparison group"),
    ("did", "Difference in differences"),
    ("its", "Interrupted time series (one series, or the pilot’s against a comparison series)"),
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
WEIGHT_KINDS = [
    ("", "The rows are not weighted"),
    ("survey", "Each row stands for that many people or things (survey weights)"),
    ("analytic", "A row of weight 2 is as precise as two rows, e.g. an average (analytic weights)"),
]
SPENDING = [
    ("obrien_fleming", "Strict at early gates, close to the usual standard at the last"),
    ("pocock", "About the same standard at every gate"),
]

# form field -> (spec table, key, is a comma-separated list)
SPEC_FIELDS: dict[str, tuple[str, str, bool]] = {
    "value": ("columns", "value", False),
    "exposure": ("columns", "exposure", False),
    "unit": ("columns", "unit", False),
    "period": ("columns", "period", False),
    "group": ("columns", "group", False),
    "covariates": ("columns", "covariates", True),
    "weight": ("columns", "weight", False),
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
    "weights": ("inference", "weights", False),
    "looks": ("sequential", "looks", False),
    "look": ("sequential", "look", False),
    "spending": ("sequential", "spending", False),
    "futility": ("sequential", "futility", False),
}
# A spec key as the engine's messages name it (e.g. design.change_at), and a table ([columns]).
_SPEC_KEY = re.compile(r"\b(?:columns|design|metric|target|inference|data|sequential)\.[a-z_]+")
_PREDICTOR_KEY = re.compile(r"\[predictors\]|\bpredictors\.[\w.]*\w")
_SPEC_TABLE = re.compile(r"\[(?:columns|design|metric|target|inference|data|sequential)\]")
_FIELD_OF_KEY = {f"{table}.{key}": name for name, (table, key, _) in SPEC_FIELDS.items()}


def _text(label: str, hint: str = "", length: int = 200) -> forms.CharField:
    return forms.CharField(required=False, max_length=length, label=label, help_text=hint)


class AssessmentForm(forms.Form):
    # Presence of the title and the file is checked by the service, with everything else at once.
    title = forms.CharField(max_length=200, required=False, label="Title")
    organisation_id = forms.TypedChoiceField(coerce=int, choices=(), label="Authority")
    data_file = forms.FileField(required=False, label="Data file")
    spec_file = forms.FileField(required=False, label="A SPEC.toml file (optional)")
    value = _text("Column with the measured value")
    exposure = _text("Column with the exposure (for rates and ratios)")
    unit = _text(
        "Column with the unit (area, vehicle, school…)",
        "Used to pair before and after and for cluster-robust errors.",
    )
    period = _text(
        "Column with the period (before and after, difference in differences, time series)"
    )
    group = _text(
        "Column with the group (pilot or comparison)",
        "For a time series compared with another series: the column telling the two apart. "
        "For staggered adoption: each unit’s first period in the pilot, 0 for units never in it.",
    )
    design = forms.ChoiceField(
        choices=DESIGNS,
        initial="threshold",
        label="How is the pilot compared?",
        help_text="Difference in differences compares how much the pilot groups changed from "
        "before to after with how much the comparison groups changed over the same time, so "
        "that a change that would have happened anyway does not count as the pilot’s effect.",
    )
    treated = _text(
        "Pilot groups (or the pilot series)",
        "Values of the group column, separated by commas. For a time series compared with "
        "another series: the group value of the pilot’s series. For a synthetic control: the "
        "one pilot unit, a value of the unit column.",
        1000,
    )
    control = _text(
        "Comparison groups (or the comparison series)",
        "For a time series compared with another series: the group value of the comparison "
        "series. For a synthetic control: the units to build it from, separated by commas "
        "(leave empty for all other units).",
        1000,
    )
    before = _text(
        "Periods before the change",
        "Values of the period column, separated by commas, as they appear in the file.",
        1000,
    )
    after = _text("Periods after the change", length=1000)
    change_at = _text(
        "Or: the first period of the pilot",
        "For a time series or a synthetic control, instead of listing the periods before and "
        "after: for example 1989 or 2025-04. Earlier periods count as before, this one and "
        "later ones as after.",
        60,
    )
    comparison = forms.ChoiceField(
        choices=COMPARISONS, required=False, label="Staggered adoption: compare with"
    )
    predictors = _text(
        "Synthetic control: columns the mix must also match",
        "Columns such as income or population, separated by commas; each unit’s average over "
        "the periods before the change is matched, as well as the measured value itself.",
        1000,
    )
    covariates = _text(
        "Columns to adjust for (pilot against a comparison group, difference in differences)",
        "Columns measured before the pilot, such as age or the size of a household, separated "
        "by commas: differences in them between the groups then do not count as the pilot’s "
        "effect.",
        1000,
    )
    weight = _text("Column with the weight of each row (optional)")
    weights = forms.ChoiceField(choices=WEIGHT_KINDS, required=False, label="What the weights mean")
    statistic = forms.ChoiceField(
        choices=STATISTICS, initial="mean", label="How the values are summed up"
    )
    label = _text("What the value measures", "For example ‘waiting time’; used in the explanation.")
    comparator = forms.ChoiceField(
        choices=[("", "No target"), *COMPARATORS], required=False, label="The result must be"
    )
    threshold = forms.FloatField(
        required=False,
        label="Threshold",
        help_text="For a fall of at least 2 minutes in a change, choose ‘at most’ and −2.",
    )
    confidence = forms.FloatField(
        required=False,
        min_value=0.5,
        max_value=0.999,
        initial=0.95,
        label="Confidence",
        help_text="How sure the evidence must be: at 0.95 (95%), the confidence interval is "
        "drawn wide enough to hold the true effect in 95 of 100 pilots like this one.",
    )
    standard = forms.ChoiceField(
        choices=STANDARDS,
        initial="ci_bound",
        label="Evidence standard",
        help_text="The confidence interval is the range the true effect lies in, at the "
        "confidence above; the estimate is its single best guess.",
    )
    looks = forms.IntegerField(
        required=False,
        min_value=2,
        max_value=20,
        label="How many gates judge this target?",
        help_text="Leave empty when the target is judged once. Looking again at every gate "
        "with the same standard would call a target met by chance too often, so the plan "
        "shares the standard out over the gates.",
    )
    look = forms.IntegerField(
        required=False, min_value=1, max_value=20, label="Which gate is this?"
    )
    spending = forms.ChoiceField(
        choices=SPENDING,
        initial="obrien_fleming",
        required=False,
        label="How strict the early gates are",
    )
    futility = forms.BooleanField(
        required=False,
        label="Say so at a gate when the pilot can no longer be expected to meet its target",
    )
    method = forms.ChoiceField(choices=METHODS, initial="auto", label="Inference")
    replicates = forms.IntegerField(
        required=False, min_value=100, max_value=100_000, label="Bootstrap replicates"
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        label="Bootstrap seed",
        help_text="The same seed gives the same result.",
    )
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

    def in_its_words(self, error: ApplicationError) -> ApplicationError:
        """The service's refusal with a spec problem shown at the question it is about, in
        the form's words: the SPEC.toml keys it names become the questions' labels."""
        detail = error.detail if isinstance(error.detail, dict) else {}
        if "spec" not in detail:
            return error
        placed: dict[str, list[str]] = {k: list(v) for k, v in detail.items() if k != "spec"}
        cause = error.__cause__
        key = cause.key if isinstance(cause, evidence.SpecError) else ""
        for message in detail["spec"]:
            if self.cleaned_data.get("spec_file"):
                placed.setdefault("spec_file", []).append(f"The spec file: {message}")
            else:
                placed.setdefault(_field_of(key) or "spec", []).append(self._in_words(message))
        return ValidationFailed(error.message, detail=placed)

    def _in_words(self, message: str) -> str:
        """A spec message with its keys, tables and choices named as the questions name them."""

        def question(match: re.Match[str]) -> str:
            field = _field_of(match[0])
            return f"‘{self.fields[field].label}’" if field else match[0]

        words = _PREDICTOR_KEY.sub(question, _SPEC_KEY.sub(question, message))
        words = _SPEC_TABLE.sub("the questions", words)
        for name in ("design", "statistic", "comparator", "standard", "method", "weights"):
            for code, label in self.fields[name].choices:  # type: ignore[attr-defined]
                if code:
                    words = words.replace(f"'{code}'", f"‘{label}’")
        return words


def _field_of(key: str) -> str:
    """The question that sets a spec key ('' for a key no question sets)."""
    return _FIELD_OF_KEY.get(key, "predictors" if key.startswith("predictors") else "")


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
    # A plan of looks only when a gate is given (the spending choice always has an answer).
    if not {"looks", "look"} & set(spec.get("sequential", {})):
        spec.pop("sequential", None)
    columns = [item.strip() for item in str(data.get("predictors") or "").split(",")]
    if any(columns):
        spec["predictors"] = {column: "before" for column in columns if column}
    return spec
