from django import forms


class AuditFilterForm(forms.Form):
    organisation_id = forms.IntegerField(required=False, min_value=1)
    user_email = forms.CharField(required=False, max_length=254)
    subject_type = forms.CharField(required=False, max_length=80)
    subject_id = forms.CharField(required=False, max_length=80)
    action = forms.CharField(required=False, max_length=80)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
