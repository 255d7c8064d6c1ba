"""Forms of the playbook section of the case page: the reading of the complaint and the
F.O.R.D checklist. They parse; `cases.services.case_record_labels` and the playbook
services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redress.cases.models import Emotion, Kind, Risk, Scenario, Want
from redress.playbook.models import FordStep
from redress.web.form_base import WebForm

NOT_READ = ("", _("not read yet"))


class LabelsForm(WebForm):
    """How the complaint reads (TAXONOMY.md), as the person handling it corrects it."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[NOT_READ, *Kind.choices])
    scenario = forms.ChoiceField(label=_("Scenario"), required=False,
                                 choices=[NOT_READ, *Scenario.choices])
    emotion = forms.ChoiceField(label=_("Emotion"), required=False,
                                choices=[NOT_READ, *Emotion.choices])
    risks = forms.MultipleChoiceField(label=_("Risks"), required=False, choices=Risk.choices,
                                      widget=forms.CheckboxSelectMultiple)
    wants = forms.MultipleChoiceField(label=_("Wants"), required=False, choices=Want.choices,
                                      widget=forms.CheckboxSelectMultiple)

    def labels(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.fields}


class FordForm(WebForm):
    step = forms.ChoiceField(choices=FordStep.choices)
    done = forms.BooleanField(required=False)
