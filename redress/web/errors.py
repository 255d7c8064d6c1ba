"""Domain errors → HTTP statuses for pages, in one place."""

from django import forms

from redress.common.errors import DomainError


def attach_to_form(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
