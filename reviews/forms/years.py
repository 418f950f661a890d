"""The buttons of a year's annex and a year's end: no fields, only the GOV.UK button and the CSRF check."""

from django import forms

from boroughs.forms import GDSForm


class ConfirmForm(GDSForm, forms.Form):
    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
