"""Forms for the engagement pages: every rule is the services'; these only parse."""

from typing import Any, cast

from django import forms

from sanely.portal.procurements.design import SECTIONS

from .models import EngagementForm
from .services import Taker

UK_MINUTE = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DAYS = ["%Y-%m-%d", "%d/%m/%Y"]
# Written after an organisation's name on its line: "Kestrel Mobility Ltd, SME".
FLAGS = {"sme": "is_sme", "vcse": "is_vcse"}


def takers(text: str) -> list[Taker]:
    """One organisation a line, its name then ", SME" and/or ", VCSE" when it is one."""
    found = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(",")]
        flags = {FLAGS[p.casefold()]: True for p in parts[1:] if p.casefold() in FLAGS}
        name = ", ".join(p for p in parts if p.casefold() not in FLAGS)
        if name or flags:
            found.append(Taker(name=name, **flags))
    return found


class EventForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    form = forms.ChoiceField(choices=EngagementForm.choices)
    # In UK time, as the authority wrote it down.
    held_at = forms.DateTimeField(input_formats=UK_MINUTE)
    location = forms.CharField(required=False, max_length=300)
    asked = forms.CharField(widget=forms.Textarea, required=False, max_length=20000)
    participants = forms.CharField(widget=forms.Textarea, required=False, max_length=50000)

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["participants"] = takers(data["participants"])
        return data


class _AboutEvent(forms.Form):
    event_id = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=())

    def __init__(self, *args: Any, events: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["event_id"])
        field.choices = [("", "Not from one event"), *events]


class SharedForm(_AboutEvent):
    title = forms.CharField(required=False, max_length=200)
    content = forms.CharField(widget=forms.Textarea, required=False, max_length=50000)


class ChangeForm(_AboutEvent):
    section = forms.ChoiceField(choices=[(name, label) for name, (label, _) in SECTIONS.items()])
    change = forms.CharField(widget=forms.Textarea, required=False, max_length=20000)


class NoticeForm(forms.Form):
    closes_on = forms.DateField(required=False, input_formats=DAYS)
    process = forms.CharField(widget=forms.Textarea, required=False, max_length=20000)
