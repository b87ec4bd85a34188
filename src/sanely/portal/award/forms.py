"""The one form of the award page: a justification for the rules of the step that ask for one."""

from django import forms


class NotifyForm(forms.Form):
    justification = forms.CharField(widget=forms.Textarea, required=False, max_length=5000)
