"""Opening a financial year: each borough's active project is continued (with its new allocation) or closed."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from boroughs.forms import GDSForm

from .fields import number_field

CONTINUE, CLOSE = "continue", "close"


class YearOpenForm(GDSForm, forms.Form):
    """One question per project, grouped by borough, and its allocation (needed only if it continues)."""

    label_size = Size.SMALL

    # Which year the page offered: a second click of the button names the year the first opened, so it
    # opens nothing more (rather than the year after).
    year = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, year_label, previous_label, projects, **kwargs):
        self.submit_label = f"Open {year_label}"
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = year_label
        self.projects = list(projects)
        self.year_label = year_label
        until = f"Close it at the end of {previous_label}" if previous_label else "Close it now"
        self.choice_labels = {CONTINUE: f"Continue it into {year_label}", CLOSE: until}
        by_borough = {}
        for project in self.projects:
            decision, allocation = self.names(project)
            self.fields[decision] = forms.ChoiceField(
                label=project.name,
                choices=list(self.choice_labels.items()),
                initial=CONTINUE,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select whether {project.name} continues into {year_label}"},
            )
            self.fields[allocation] = number_field(
                f"Allocation for {project.name} in {year_label} (£)",
                initial=project.csf_allocation,
                required=False,
                help_text="Only needed if it continues.",
            )
            by_borough.setdefault(project.borough, []).append(project)
        self.helper = FormHelper(self)
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        self.helper.layout = Layout(
            "year",
            *[
                Fieldset(
                    *[
                        item
                        for project in projects
                        for item in (
                            Field.radios(self.names(project)[0], small=True),
                            Field.text(self.names(project)[1], field_width=10),
                        )
                    ],
                    legend=borough.name,
                    legend_size=Size.MEDIUM,
                    legend_tag="h2",
                )
                for borough, projects in by_borough.items()
            ],
            Button("submit", self.submit_label),
        )

    @staticmethod
    def names(project):
        return f"project_{project.pk}", f"allocation_{project.pk}"

    def clean_year(self):
        label = self.cleaned_data["year"]
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", label) or label[5:] != f"{(int(label[:4]) + 1) % 100:02d}":
            raise forms.ValidationError("Open the year from the years page")
        return int(label[:4])

    def clean(self):
        data = super().clean()
        for project in self.projects:
            decision, allocation = self.names(project)
            if data.get(decision) == CONTINUE and data.get(allocation) is None and allocation not in self.errors:
                self.add_error(allocation, f"Enter the {self.year_label} allocation for {project.name}")
        return data

    def choices(self):
        """[(project, continues, allocation)] as the admin answered."""
        return [
            (
                project,
                self.cleaned_data[self.names(project)[0]] == CONTINUE,
                self.cleaned_data.get(self.names(project)[1]),
            )
            for project in self.projects
        ]
