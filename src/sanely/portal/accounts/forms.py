"""Form fields for the accounts pages: they check types and presence; services check the rules."""

from django import forms

from .models import Nation, Role


class SignInForm(forms.Form):
    email = forms.EmailField(
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
    )
    password = forms.CharField(strip=False, error_messages={"required": "Enter your password"})


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
    )


class PasswordSetForm(forms.Form):
    password = forms.CharField(strip=False, error_messages={"required": "Enter a new password"})
    confirm = forms.CharField(
        strip=False, error_messages={"required": "Enter the new password again"}
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("confirm") and data["password"] != data["confirm"]:
            self.add_error("confirm", "The passwords do not match")
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    nation = forms.ChoiceField(choices=[("", "Not set"), *Nation.choices], required=False)
    identifier_scheme = forms.CharField(max_length=20, required=False)
    identifier = forms.CharField(max_length=40, required=False)
    address = forms.CharField(required=False, widget=forms.Textarea)
    postcode = forms.CharField(max_length=10, required=False)
    contact_email = forms.EmailField(required=False)
    website = forms.URLField(required=False)
    is_sme = forms.BooleanField(required=False)
    is_vcse = forms.BooleanField(required=False)


class SupplierRegistrationForm(forms.Form):
    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter your organisation's name"}
    )
    identifier_scheme = forms.ChoiceField(
        choices=[
            ("GB-COH", "Companies House"),
            ("GB-CHC", "Charity Commission (England and Wales)"),
            ("GB-SC", "Scottish Charity Regulator"),
            ("GB-MPR", "Mutuals Public Register"),
            ("", "None of these"),
        ],
        required=False,
    )
    identifier = forms.CharField(max_length=40, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    contact_email = forms.EmailField(required=False)
    is_sme = forms.BooleanField(required=False)
    is_vcse = forms.BooleanField(required=False)
    full_name = forms.CharField(max_length=200, error_messages={"required": "Enter your full name"})
    email = forms.EmailField(
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
    )
    password = forms.CharField(strip=False, error_messages={"required": "Choose a password"})

    ORGANISATION_FIELDS = (
        "name",
        "identifier_scheme",
        "identifier",
        "postcode",
        "contact_email",
        "is_sme",
        "is_vcse",
    )

    def organisation(self) -> dict[str, object]:
        data = {field: self.cleaned_data[field] for field in self.ORGANISATION_FIELDS}
        if not data["identifier"]:
            data["identifier_scheme"] = ""
        return data


class MemberForm(forms.Form):
    email = forms.EmailField(
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }
    )
    full_name = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(choices=Role.choices, error_messages={"required": "Choose a role"})


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages={"required": "Give the token a name"})
    organisation_id = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        error_messages={"required": "Choose the organisation the token acts for"},
    )
    days = forms.TypedChoiceField(
        coerce=int, choices=[(30, "30 days"), (90, "90 days"), (366, "1 year")], initial=90
    )

    def __init__(
        self, *args: object, organisations: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation_id"].choices = organisations  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = forms.CharField(max_length=20, error_messages={"required": "Enter the code"})
