"""GOV.UK-styled forms. Every form in the service mixes in GDSForm."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Size


def posted(request):
    """The form data, or None for GET. (`request.POST or None` would treat an empty POST as a GET.)"""
    return request.POST if request.method == "POST" else None


class GDSForm:
    """Holds the crispy-forms-gds helper and the submit button, so templates just `{% crispy form %}`."""

    submit_label = "Continue"
    label_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        # The Design System wants the error summary above the page heading, outside the <form>:
        # templates render it with {% error_summary form %}.
        self.helper.layout.append(Button("submit", self.submit_label))
